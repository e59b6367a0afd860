import type { Organization, Session } from '../api/schema';

// The last organization opened is a convenience only; the server's membership list stays authoritative.
const LAST_ORG_KEY = 'latchkey.lastOrgId';

export function defaultOrganization(me: Session, preferredOrgId?: string | null): Organization | null {
  const byId = (id: string | null | undefined) => (id ? me.organizations.find((org) => org.id === id) : undefined);
  return byId(preferredOrgId) ?? byId(readStorage(localStorage, LAST_ORG_KEY)) ?? me.organizations[0] ?? null;
}

export function rememberOrganization(orgId: string): void {
  writeStorage(localStorage, LAST_ORG_KEY, orgId);
}

// Storage throws in some privacy modes; the console works without it.
function readStorage(storage: Storage, key: string): string | null {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(storage: Storage, key: string, value: string | null): void {
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, value);
  } catch {
    // Ignored: see readStorage.
  }
}
