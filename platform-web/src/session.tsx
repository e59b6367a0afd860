import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useLocation, useParams } from 'react-router';
import type { ReactNode } from 'react';
import { auth } from './api/endpoints';
import { ApiError } from './api/problem';
import { keys } from './api/queryKeys';
import type { Organization, Session } from './api/schema';
import { ErrorState, Loading } from './ui/States';

/** Who is signed in: the server's answer to GET /v1/me, or null (401). */
export function useSession() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async ({ signal }): Promise<Session | null> => {
      try {
        return await auth.me(signal);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** Replaces the cached session, e.g. after login, and drops everything cached for the previous one. */
export function useSetSession() {
  const client = useQueryClient();
  return (session: Session | null) => {
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
    client.setQueryData(keys.me, session);
  };
}

let endedWhileSignedIn = false;

/** The server ended a session the console had (it expired, or was signed out elsewhere). */
export function noteSessionEnded() {
  endedWhileSignedIn = true;
}

/** The login's notice after such an end; the login screen forgets it once shown. */
export function sessionEndedNotice(): string | undefined {
  return endedWhileSignedIn ? 'Your session has ended. Please log in again.' : undefined;
}

export function forgetSessionEnded() {
  endedWhileSignedIn = false;
}

/** Renders its children for a signed-in user; anyone else goes to the login, and back here after it. */
export function RequireSession({ children }: { children(session: Session): ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <main id="main" className="auth-page"><Loading label="Loading the Latchkey console…" /></main>;
  if (session.isError) {
    return (
      <main id="main" className="auth-page">
        <div className="auth-card">
          <h1 tabIndex={-1}>Latchkey is unavailable</h1>
          <ErrorState error={session.error} onRetry={() => void session.refetch()} />
        </div>
      </main>
    );
  }
  if (!session.data) {
    // The fragment too: an invitation link carries its token there (history state stays in the browser).
    const from = location.pathname + location.search + location.hash;
    const notice = sessionEndedNotice() ?? (location.pathname.startsWith('/invitations/') ? 'Log in, or create an account, to accept the invitation.' : undefined);
    return <Navigate to="/login" replace state={{ from, notice }} />;
  }
  return <>{children(session.data)}</>;
}

/** The organization of the current /orgs/:orgId route, as the session's membership list has it. */
export function useCurrentOrg(session: Session): Organization | null {
  const { orgId } = useParams();
  return session.organizations.find((org) => org.id === orgId) ?? null;
}
