import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { auth } from '../api/endpoints';
import { invitationTokenFrom, invitations } from '../api/members';
import type { InvitationPreview } from '../api/schema';
import { useTitle } from '../context';
import { capitalize, formatDateTime } from '../lib/format';
import { useSetSession } from '../session';
import { Card, ErrorState, Loading, ScreenHeader } from '../ui/States';

interface InvitationState {
  invitationToken?: string;
}

/**
 * `/invitations/accept#token=...`: what an invitation offers, and joining with it. Whoever holds
 * the link and is signed in may join, whatever their email; the link works once. The token comes
 * in the fragment, which no server sees; it is moved at once into this history entry's state, so
 * that it leaves the address bar and survives a reload.
 */
export function InvitationScreen() {
  useTitle('Invitation');
  const location = useLocation();
  const navigate = useNavigate();
  const setSession = useSetSession();
  const token = invitationTokenFrom(location.hash) ?? (location.state as InvitationState | null)?.invitationToken ?? null;
  const [preview, setPreview] = useState<InvitationPreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [joining, setJoining] = useState(false);

  useEffect(() => {
    if (location.hash && token) navigate(location.pathname, { replace: true, state: { invitationToken: token } satisfies InvitationState });
  }, [location.hash, location.pathname, navigate, token]);

  useEffect(() => {
    if (!token) return;
    let current = true;
    setError(null);
    invitations.preview(token).then(
      (offered) => current && setPreview(offered),
      (failure: unknown) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, [token]);

  const join = async () => {
    if (!token) return;
    setJoining(true);
    setError(null);
    try {
      const accepted = await invitations.accept(token);
      setSession(await auth.me());
      navigate(`/orgs/${accepted.organization.id}/usage`, { replace: true });
    } catch (failure) {
      setError(failure);
      setJoining(false);
    }
  };

  return (
    <div className="view">
      <ScreenHeader title="Invitation" />
      <Card id="invitation-heading" title="Join an organization">
        {!token ? (
          <p>
            This address holds no invitation. Open the whole link you were sent (it ends with <code>#token=…</code>), or ask for a new one.
          </p>
        ) : error ? (
          <ErrorState error={error} />
        ) : !preview ? (
          <Loading label="Loading the invitation…" />
        ) : (
          <div className="stack">
            <p>
              You are invited to join <strong>{preview.organization_name}</strong> as {capitalize(preview.role)}. The invitation works once,
              until {formatDateTime(preview.expires_at)}.
            </p>
            <div className="form-actions">
              <Link className="button" to="/">
                Not now
              </Link>
              <button type="button" className="button button-primary" disabled={joining} aria-busy={joining || undefined} onClick={() => void join()}>
                {joining ? 'Joining…' : `Join ${preview.organization_name}`}
              </button>
            </div>
          </div>
        )}
      </Card>
    </div>
  );
}
