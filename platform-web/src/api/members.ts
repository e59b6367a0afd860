import { http, orgPath, query } from './client';
import type { AcceptedInvitation, CreatedInvitation, InvitationPreview, Member, Page, Role } from './schema';

// Members, roles and invitations: every call of the console about them is here. An invitation is
// a single-use token: the inviter gets it (and the link made of it) once, and whoever presents it
// while signed in joins with the invited role.

const id = encodeURIComponent;

export const members = {
  /** Members; open invitations too for owners and admins (the server leaves them out for anyone else). */
  list: (orgId: string, cursor: string | null) => http.get<Page<Member>>(`${orgPath(orgId)}/members${query({ cursor })}`),
  /** A new invitation: its token and link are in this answer only. */
  invite: (orgId: string, email: string, role: Role) =>
    http.post<CreatedInvitation>(`${orgPath(orgId)}/members`, { email, role }),
  changeRole: (orgId: string, userId: string, role: Role) =>
    http.patch<Member>(`${orgPath(orgId)}/members/${id(userId)}`, { role }),
  remove: (orgId: string, userId: string) => http.delete(`${orgPath(orgId)}/members/${id(userId)}`),
  revokeInvitation: (orgId: string, invitationId: string) =>
    http.delete(`${orgPath(orgId)}/invitations/${id(invitationId)}`),
};

export const invitations = {
  /** What the token's invitation offers; the token travels in the body, never in a URL. */
  preview: (token: string) => http.post<InvitationPreview>('/v1/invitations/preview', { token }),
  accept: (token: string) => http.post<AcceptedInvitation>('/v1/invitations/accept', { token }),
};

/** The token of an invitation link (`/invitations/accept#token=...`): it is in the fragment, which no server sees. */
export function invitationTokenFrom(hash: string): string | null {
  const token = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash).get('token');
  return token && token.trim() ? token.trim() : null;
}
