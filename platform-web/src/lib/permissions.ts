import type { Role } from '../api/schema';

// What each role may do, as the server decides it (accounts/Permission.java). The console only
// uses this to leave out buttons a member cannot use; the server refuses them anyway.

export type Action =
  | 'api-keys:manage'
  | 'api-keys:read'
  | 'credentials:manage'
  | 'credentials:read'
  | 'policies:manage'
  | 'members:manage'
  | 'org:manage'
  | 'audit:read'
  | 'webhooks:manage';

const GRANTS: Record<Action, readonly Role[]> = {
  'api-keys:read': ['owner', 'admin', 'developer', 'viewer'],
  'api-keys:manage': ['owner', 'admin', 'developer'],
  'credentials:read': ['owner', 'admin', 'developer', 'viewer'],
  'credentials:manage': ['owner', 'admin', 'developer'],
  'policies:manage': ['owner', 'admin', 'developer'],
  'members:manage': ['owner', 'admin'],
  'org:manage': ['owner', 'admin'],
  'audit:read': ['owner', 'admin'],
  'webhooks:manage': ['owner', 'admin'],
};

export function can(role: Role, action: Action): boolean {
  return GRANTS[action].includes(role);
}

export const SCOPES = ['tokens:mint', 'sessions:mint', 'rooms:write', 'usage:read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * The scopes a member may put on a key: never more than their role may do. `admin` (everything
 * in the organization) is for owners and admins; brokering scopes for those who manage keys.
 */
export function grantableScopes(role: Role): Scope[] {
  switch (role) {
    case 'owner':
    case 'admin':
      return [...SCOPES];
    case 'developer':
      return ['tokens:mint', 'sessions:mint', 'rooms:write', 'usage:read'];
    default:
      return [];
  }
}
