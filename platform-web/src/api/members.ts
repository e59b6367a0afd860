import { http, orgPath, query } from './client';
import type { Member, Page, Role } from './schema';

// Members, roles and invitations: every call of the console about them is here, so that a change
// of the invitation flow (single-use tokens with a link) is made in this one file and its screen.

const id = encodeURIComponent;

export const members = {
  list: (orgId: string, cursor: string | null) => http.get<Page<Member>>(`${orgPath(orgId)}/members${query({ cursor })}`),
  /** Adds an account, or records an invitation for an email without one (it joins at sign-up). */
  invite: (orgId: string, email: string, role: Role) => http.post<Member>(`${orgPath(orgId)}/members`, { email, role }),
  changeRole: (orgId: string, userId: string, role: Role) =>
    http.patch<Member>(`${orgPath(orgId)}/members/${id(userId)}`, { role }),
  remove: (orgId: string, userId: string) => http.delete(`${orgPath(orgId)}/members/${id(userId)}`),
  cancelInvitation: (orgId: string, invitationId: string) =>
    http.delete(`${orgPath(orgId)}/invitations/${id(invitationId)}`),
};
