import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { Link, NavLink, Navigate, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { account } from '../api/account';
import { auth, organizations } from '../api/endpoints';
import { ApiError } from '../api/problem';
import { keys } from '../api/queryKeys';
import type { Organization, Session } from '../api/schema';
import { OrgContext, SessionContext, useSignedIn, useTitle } from '../context';
import { capitalize } from '../lib/format';
import { can } from '../lib/permissions';
import { defaultOrganization, rememberOrganization } from '../lib/session';
import { RequireSession, useSetSession } from '../session';
import { Modal } from '../ui/Dialog';
import { Form, TextField, formString } from '../ui/Form';
import { ProblemAlert, problemOf } from '../ui/ProblemAlert';

interface Section {
  path: string;
  label: string;
  visible?(org: Organization): boolean;
}

export const ORG_SECTIONS: readonly Section[] = [
  { path: 'usage', label: 'Usage' },
  { path: 'credentials', label: 'Credentials', visible: (org) => can(org.role, 'credentials:read') },
  { path: 'api-keys', label: 'API keys', visible: (org) => can(org.role, 'api-keys:read') },
  { path: 'policies', label: 'Session policies' },
  { path: 'ledger', label: 'Ledger' },
  { path: 'invoice', label: 'Invoice' },
  { path: 'webhooks', label: 'Webhooks', visible: (org) => can(org.role, 'webhooks:manage') },
  { path: 'audit', label: 'Audit log', visible: (org) => can(org.role, 'audit:read') },
  { path: 'members', label: 'Members' },
  { path: 'origins', label: 'Allowed origins' },
];

const ADMIN_SECTIONS: readonly Section[] = [
  { path: 'orgs', label: 'Organizations' },
  { path: 'usage', label: 'Usage' },
  { path: 'credentials', label: 'Managed credentials' },
  { path: 'audit', label: 'Audit log' },
  { path: 'keys', label: 'Master key' },
];

/** Every signed-in screen: the session guard, then the frame. */
export function SignedIn() {
  return <RequireSession>{(session) => <Frame session={session} />}</RequireSession>;
}

function Frame({ session }: { session: Session }) {
  const { orgId } = useParams();
  const location = useLocation();
  const org = session.organizations.find((candidate) => candidate.id === orgId) ?? null;
  const adminArea = location.pathname.startsWith('/admin');
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    if (org) rememberOrganization(org.id);
  }, [org]);

  // Moving focus to the new heading tells screen-reader users that the screen changed.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [location.pathname]);

  return (
    <SessionContext.Provider value={session}>
      <div className="app-shell">
        <a
          className="skip-link"
          href="#main"
          onClick={(event) => {
            event.preventDefault();
            main.current?.focus();
          }}
        >
          Skip to content
        </a>
        <header className="topbar">
          <div className="topbar-inner">
            <Link className="brand" to="/">
              <span className="brand-mark" aria-hidden="true" />
              Latchkey
            </Link>
            <OrgSwitcher session={session} current={adminArea ? null : org} />
            <Account session={session} />
          </div>
        </header>
        <div className="layout">
          {org && !adminArea ? <SectionNav label={`${org.name} sections`} base={`/orgs/${org.id}`} sections={ORG_SECTIONS.filter((s) => !s.visible || s.visible(org))} /> : null}
          {adminArea && session.user.platform_admin ? <SectionNav label="Platform administration" base="/admin" sections={ADMIN_SECTIONS} /> : null}
          <main id="main" ref={main} className="content" tabIndex={-1}>
            <VerificationBanner session={session} />
            {orgId && !org ? (
              <UnknownOrg />
            ) : org && !adminArea && org.require_mfa && (org.role === 'owner' || org.role === 'admin') && !session.user.mfa_enabled ? (
              <MfaRequired org={org} />
            ) : (
              <OrgContext.Provider value={org ? { session, org } : null}>
                <Outlet />
              </OrgContext.Provider>
            )}
          </main>
        </div>
      </div>
    </SessionContext.Provider>
  );
}

function SectionNav({ label, base, sections }: { label: string; base: string; sections: readonly Section[] }) {
  return (
    <nav className="sections" aria-label={label}>
      <ul>
        {sections.map((section) => (
          <li key={section.path}>
            <NavLink to={`${base}/${section.path}`} className="section-link">
              {section.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function OrgSwitcher({ session, current }: { session: Session; current: Organization | null }) {
  const navigate = useNavigate();
  const location = useLocation();
  const id = useId();
  const [creating, setCreating] = useState(false);
  const setSession = useSetSession();
  const section = location.pathname.split('/')[3] ?? 'usage';

  return (
    <div className="org-switcher">
      {session.organizations.length ? (
        <>
          <label htmlFor={id}>Organization</label>
          <select
            id={id}
            className="org-select"
            value={current?.id ?? ''}
            onChange={(event) => navigate(`/orgs/${event.target.value}/${section}`)}
          >
            {current ? null : (
              <option value="" disabled>
                Choose…
              </option>
            )}
            {session.organizations.map((org) => (
              <option key={org.id} value={org.id}>
                {org.name} ({capitalize(org.role)})
              </option>
            ))}
          </select>
        </>
      ) : null}
      <button type="button" className="button button-ghost button-small" onClick={() => setCreating(true)}>
        New organization
      </button>
      {creating ? (
        <Modal title="Create an organization" onClose={() => setCreating(false)}>
          <Form
            submitLabel="Create organization"
            busyLabel="Creating…"
            actions={
              <button type="button" className="button" onClick={() => setCreating(false)}>
                Cancel
              </button>
            }
            onSubmit={async (values) => {
              const org = await organizations.create(formString(values, 'name').trim());
              setSession(await auth.me());
              setCreating(false);
              navigate(`/orgs/${org.id}/usage`);
            }}
          >
            <TextField name="name" label="Name" required maxLength={100} hint="You become its owner." />
          </Form>
        </Modal>
      ) : null}
    </div>
  );
}

function Account({ session }: { session: Session }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const logout = async () => {
    setBusy(true);
    try {
      await auth.logout();
    } catch (failure) {
      // A 401 means the session was already gone, which is what the user wanted.
      if (!(failure instanceof ApiError && failure.status === 401)) {
        setError(failure);
        setBusy(false);
        return;
      }
    }
    client.clear();
    client.setQueryData(keys.me, null);
    navigate('/login', { replace: true, state: { notice: 'You have been logged out.' } });
  };
  return (
    <div className="account">
      {session.user.platform_admin ? (
        <Link className="button button-ghost button-small" to="/admin/orgs">
          Platform admin
        </Link>
      ) : null}
      <Link className="button button-ghost button-small" to="/account">
        Account
      </Link>
      <span className="account-identity">
        <span className="account-name">{session.user.name || session.user.email}</span>
        <span className="account-email">{session.user.email}</span>
      </span>
      <button type="button" className="button button-ghost" disabled={busy} onClick={() => void logout()}>
        Log out
      </button>
      {error ? <ProblemAlert problem={problemOf(error)} /> : null}
    </div>
  );
}

/** `/`: the organization opened last, or the first. */
export function Home() {
  const session = useSignedIn();
  const org = defaultOrganization(session);
  useTitle('No organizations');
  if (org) return <Navigate to={`/orgs/${org.id}/usage`} replace />;
  return (
    <div className="view">
      <header className="view-header">
        <h1 tabIndex={-1}>No organizations</h1>
      </header>
      <section className="card empty-card">
        <p>
          You are not a member of any organization yet. Create one with “New organization”, or ask an owner or admin of an existing one
          for an invitation link.
        </p>
      </section>
    </div>
  );
}

/** Until the email is verified: what it holds back (when verification is required), and a new link. */
function VerificationBanner({ session }: { session: Session }) {
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<unknown>(null);
  if (session.user.email_verified) return null;
  return (
    <section className="alert alert-info verification-banner" aria-label="Account verification">
      <p>
        <strong>Verify your email.</strong>{' '}
        {session.email_verification_required
          ? `Open the link we sent to ${session.user.email}: until then you can look around, but not add credentials, create API keys or invite anyone.`
          : `Confirm that ${session.user.email} is yours with a link we send to it.`}
      </p>
      <button
        type="button"
        className="button button-small"
        onClick={() => {
          setError(null);
          account.sendVerification().then((answer) => setNotice(answer.detail), setError);
        }}
      >
        Send a new link
      </button>
      <span role="status">{notice}</span>
      {error ? <ProblemAlert problem={problemOf(error)} /> : null}
    </section>
  );
}

function MfaRequired({ org }: { org: Organization }) {
  useTitle('Two-factor authentication required');
  return (
    <div className="view">
      <header className="view-header">
        <h1 tabIndex={-1}>Two-factor authentication required</h1>
      </header>
      <section className="card empty-card">
        <p>
          {org.name} requires two-factor authentication of its owners and admins. Turn it on for your account to act in this organization.
        </p>
        <p>
          <Link to="/account">Set up two-factor authentication</Link>
        </p>
      </section>
    </div>
  );
}

function UnknownOrg() {
  useTitle('Organization not available');
  return (
    <div className="view">
      <header className="view-header">
        <h1 tabIndex={-1}>Organization not available</h1>
      </header>
      <section className="card empty-card">
        <p>This organization does not exist or you are no longer a member. Pick another one from the switcher.</p>
        <p>
          <Link to="/">Open your default organization</Link>
        </p>
      </section>
    </div>
  );
}

export function NotFound() {
  useTitle('Not found');
  return (
    <div className="view">
      <header className="view-header">
        <h1 tabIndex={-1}>Page not found</h1>
      </header>
      <section className="card empty-card">
        <p>There is nothing at this address.</p>
        <p>
          <Link to="/">Go to the console home</Link>
        </p>
      </section>
    </div>
  );
}
