import { useCallback, useEffect, useRef, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { auth } from '../api/endpoints';
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
  useEffect(forgetSessionEnded, []);
  return (
    <AuthLayout
      title="Log in"
      lead="Manage provider credentials, API keys, usage and members of your organizations."
      notice={notice}
      footer={
        <>
          New to Latchkey?{' '}
          <Link to="/signup" state={location.state}>
            Create an account
          </Link>
        </>
      }
    >
      <Form
        submitLabel="Log in"
        busyLabel="Logging in…"
        onSubmit={async (values) => {
          const session = await auth.login(formString(values, 'email').trim(), formString(values, 'password'));
          landing();
          setSession(session);
          land(session);
        }}
      >
        <TextField name="email" label="Email" type="email" required autoComplete="username" />
        <TextField name="password" label="Password" type="password" required autoComplete="current-password" />
      </Form>
    </AuthLayout>
  );
}

export function SignupScreen() {
  const setSession = useSetSession();
  const location = useLocation();
  const land = useLanding();
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
            organization_name: formString(values, 'organization_name').trim(),
          });
          // Signup answers with the new organization only; /v1/me carries the roles.
          const session = await auth.me();
          landing();
          setSession(session);
          land(session, created.organization.id);
        }}
      >
        <TextField name="name" label="Your name" required autoComplete="name" />
        <TextField name="email" label="Work email" type="email" required autoComplete="email" />
        <TextField name="password" label="Password" type="password" required autoComplete="new-password" hint="Use a long, unique passphrase." />
        <TextField
          name="organization_name"
          label="Organization name"
          required
          autoComplete="organization"
          hint="You become its owner and can invite teammates later."
        />
      </Form>
    </AuthLayout>
  );
}
