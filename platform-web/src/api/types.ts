// Wire shapes of the public REST API (snake_case, as the server sends them).

export const ROLES = ['owner', 'admin', 'developer', 'billing', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = ['tokens:mint', 'sessions:mint', 'rooms:write', 'usage:read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface User {
  id: string;
  email: string;
  name: string;
  platform_admin?: boolean;
}

export interface Organization {
  id: string;
  name: string;
  slug: string;
}

export interface Membership extends Organization {
  role: Role;
}

/** Body of GET /v1/me and POST /v1/auth/login. */
export interface Me {
  user: User;
  organizations: Membership[];
}

export interface SignupResult {
  user: User;
  organization: Organization;
}

export interface CsrfToken {
  token: string;
  header_name: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  created_by: string | null;
}

/** Returned by create and rotate: the only time the full secret is ever sent. */
export interface IssuedApiKey {
  id: string;
  name: string;
  key: string;
  prefix: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
}

export type MemberStatus = 'active' | 'invited' | 'expired';

/** A member (status active), or an open invitation (invited or expired), which owners and admins see. */
export interface Member {
  user_id: string | null;
  invitation_id: string | null;
  email: string;
  name: string | null;
  role: Role;
  status: MemberStatus;
  joined_at: string | null;
  invited_at: string | null;
  expires_at: string | null;
}

/** A new invitation: the only answer that carries its token and link. */
export interface CreatedInvitation {
  invitation_id: string;
  email: string;
  role: Role;
  status: 'invited';
  invited_at: string;
  expires_at: string;
  token: string;
  invitation_url: string;
}

export interface InvitationPreview {
  organization_id: string;
  organization_name: string;
  role: Role;
  expires_at: string;
}

export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details as the server renders them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  request_id?: string;
  errors?: FieldError[];
}
