import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { account } from '../api/account';
import { auth } from '../api/endpoints';
import { invitationTokenFrom } from '../api/members';
import { ApiError } from '../api/problem';
import type { Session } from '../api/schema';
import { defaultOrganization } from '../lib/session';
import { forgetSessionEnded, useSession, useSetSession } from '../session';
import { Form, TextField, formString } from '../ui/Form';

function AuthLayout({ title, lead, notice, children, footer }: { title: string; lead: string; notice?: string | undefined; children: ReactNode; footer: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Latchkey`;
  }, [title]);
  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <p className="brand brand-large" aria-hidden="true">
          <span className="brand-mark" />
          Latchkey
        </p>
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <p className="lead">{lead}</p>
        {notice ? (
          <p className="alert alert-info" role="status">
            {notice}
          </p>
        ) : null}
        {children}
        <p className="auth-footer">{footer}</p>
      </div>
    </main>
  );
}

/** Where a signed-in user lands: the page they wanted, or their organization. */
function useLanding() {
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  return useCallback((session: Session, preferredOrgId?: string) => {
    if (from && from !== '/' && !from.startsWith('/login') && !from.startsWith('/signup')) {
      navigate(from, { replace: true });
      return;
    }
    const org = defaultOrganization(session, preferredOrgId);
    navigate(org ? `/orgs/${org.id}` : '/', { replace: true });
  }, [from, navigate]);
}

/** Someone already signed in has nothing to do here: on to where they were going. */
function useRedirectWhenSignedIn(land: (session: Session) => void) {
  const session = useSession();
  const landed = useRef(false);
  useEffect(() => {
    if (session.data && !landed.current) {
      landed.current = true;
      land(session.data);
    }
  }, [session.data, land]);
  // The form lands by itself after signing in; the effect must not land a second time.
  return () => {
    landed.current = true;
  };
}

export function LoginScreen() {
  const setSession = useSetSession();
  const land = useLanding();
  const location = useLocation();
  const landing = useRedirectWhenSignedIn(land);
  const notice = (location.state as { notice?: string } | null)?.notice;
  const [secondFactor, setSecondFactor] = useState(false);
  useEffect(forgetSessionEnded, []);
  const signedIn = (session: Session) => {
    landing();
    setSession(session);
    land(session);
  };
  return (
    <AuthLayout
      title={secondFactor ? 'Two-factor authentication' : 'Log in'}
      lead={
        secondFactor
          ? 'Enter the 6-digit code your authenticator app shows now, or one of your recovery codes.'
          : 'Manage provider credentials, API keys, usage and members of your organizations.'
      }
      notice={secondFactor ? undefined : notice}
      footer={
        secondFactor ? (
          <button type="button" className="button button-ghost button-small" onClick={() => setSecondFactor(false)}>
            Start over
          </button>
        ) : (
          <>
            New to Latchkey?{' '}
            <Link to="/signup" state={location.state}>
              Create an account
            </Link>
            {' · '}
            <Link to="/reset-password">Forgot your password?</Link>
          </>
        )
      }
    >
      {secondFactor ? (
        <Form
          key="second-factor"
          submitLabel="Verify"
          busyLabel="Verifying…"
          onSubmit={async (values) => {
            try {
              signedIn(await account.loginSecondFactor(formString(values, 'code').trim()));
            } catch (error) {
              // The password step expired or too many wrong codes: back to the password.
              if (error instanceof ApiError && error.problem.type.endsWith('/unauthenticated')) setSecondFactor(false);
              throw error;
            }
          }}
        >
          <TextField name="code" label="Code" required autoComplete="one-time-code" hint="6 digits from the app, or a recovery code like abcde-fghij." />
        </Form>
      ) : (
        <Form
          key="password"
          submitLabel="Log in"
          busyLabel="Logging in…"
          onSubmit={async (values) => {
            try {
              signedIn(await auth.login(formString(values, 'email').trim(), formString(values, 'password')));
            } catch (error) {
              if (error instanceof ApiError && error.problem.type.endsWith('/mfa-required')) {
                setSecondFactor(true);
                return;
              }
              throw error;
            }
          }}
        >
          <TextField name="email" label="Email" type="email" required autoComplete="username" />
          <TextField name="password" label="Password" type="password" required autoComplete="current-password" />
        </Form>
      )}
    </AuthLayout>
  );
}

export function SignupScreen() {
  const setSession = useSetSession();
  const location = useLocation();
  const land = useLanding();
  // Coming from an invitation link: the new account joins that organization instead of creating one.
  const from = (location.state as { from?: string } | null)?.from ?? '';
  const navigate = useNavigate();
  const invitationToken = from.startsWith('/invitations/accept') ? invitationTokenFrom(from.slice(from.indexOf('#'))) : null;
  const landing = useRedirectWhenSignedIn(land);
  return (
    <AuthLayout
      title="Create your account"
      lead="Start an organization to keep your provider keys and mint short-lived tokens."
      footer={
        <>
          Already have an account?{' '}
          <Link to="/login" state={location.state}>
            Log in
          </Link>
        </>
      }
    >
      <Form
        submitLabel="Create account"
        busyLabel="Creating account…"
        onSubmit={async (values) => {
          const created = await auth.signup({
            email: formString(values, 'email').trim(),
            password: formString(values, 'password'),
            name: formString(values, 'name').trim(),
            ...(invitationToken ? { invitation_token: invitationToken } : { organization_name: formString(values, 'organization_name').trim() }),
          });
          // Signup answers with the organization only; /v1/me carries the roles.
          const session = await auth.me();
          landing();
          setSession(session);
          if (invitationToken) navigate(`/orgs/${created.organization.id}/usage`, { replace: true });
          else land(session, created.organization.id);
        }}
      >
        <TextField name="name" label="Your name" required autoComplete="name" />
        <TextField name="email" label="Work email" type="email" required autoComplete="email" />
        <TextField name="password" label="Password" type="password" required autoComplete="new-password" hint="Use a long, unique passphrase." />
        {invitationToken ? (
          <p className="hint">You join the organization that invited you; you can create organizations of your own later.</p>
        ) : (
          <TextField
            name="organization_name"
            label="Organization name"
            required
            autoComplete="organization"
            hint="You become its owner and can invite teammates later."
          />
        )}
      </Form>
    </AuthLayout>
  );
}
