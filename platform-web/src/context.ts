import { createContext, useContext, useEffect } from 'react';
import type { Organization, Session } from './api/schema';

export interface OrgScreenContext {
  session: Session;
  org: Organization;
}

export const OrgContext = createContext<OrgScreenContext | null>(null);

/** The signed-in user and the organization that an /orgs/:orgId screen is about. */
export function useOrgScreen(): OrgScreenContext {
  const context = useContext(OrgContext);
  if (!context) throw new Error('useOrgScreen outside an organization route');
  return context;
}

export const SessionContext = createContext<Session | null>(null);

export function useSignedIn(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSignedIn outside the signed-in routes');
  return session;
}

export function useTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · Latchkey`;
  }, [title]);
}
