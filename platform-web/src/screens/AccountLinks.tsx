import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { account, tokenFromHash } from '../api/account';
import { useQueryClient } from '@tanstack/react-query';
import { keys } from '../api/queryKeys';
import { useTitle } from '../context';
import { Form, TextField, formString } from '../ui/Form';
import { ErrorState, Loading } from '../ui/States';

interface LinkState {
  token?: string;
}

/**
 * The token of a mailed link: read from the fragment (which no server sees), then moved into the
 * history entry's state so that it leaves the address bar and survives a reload.
 */
function useLinkToken(): string | null {
  const location = useLocation();
  const navigate = useNavigate();
  const token = tokenFromHash(location.hash) ?? (location.state as LinkState | null)?.token ?? null;
  useEffect(() => {
    if (location.hash && token) navigate(location.pathname, { replace: true, state: { token } satisfies LinkState });
  }, [location.hash, location.pathname, navigate, token]);
  return token;
}

function Page({ title, children }: { title: string; children: React.ReactNode }) {
  useTitle(title);
  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <p className="brand brand-large" aria-hidden="true">
          <span className="brand-mark" />
          Latchkey
        </p>
        <h1 tabIndex={-1}>{title}</h1>
        {children}
      </div>
    </main>
  );
}

/** `/verify-email#token=...`: the link of a verification mail, in any browser, signed in or not. */
export function VerifyEmailScreen() {
  const token = useLinkToken();
  const client = useQueryClient();
  const [state, setState] = useState<'pending' | 'done' | unknown>('pending');
  useEffect(() => {
    if (!token) return;
    let current = true;
    account.verifyEmail(token).then(
      () => {
        if (!current) return;
        setState('done');
        void client.invalidateQueries({ queryKey: keys.me });
      },
      (error: unknown) => current && setState(error),
    );
    return () => {
      current = false;
    };
  }, [token, client]);
  return (
    <Page title="Verify your email">
      {!token ? (
        <p>This address holds no verification link. Open the whole link from the mail, or ask for a new one in your account.</p>
      ) : state === 'pending' ? (
        <Loading label="Verifying…" />
      ) : state === 'done' ? (
        <p className="alert alert-info" role="status">
          Your email is verified. You can now add credentials, create API keys and invite people.
        </p>
      ) : (
        <ErrorState error={state} />
      )}
      <p className="auth-footer">
        <Link to="/">Open the console</Link>
      </p>
    </Page>
  );
}

/** `/reset-password`: ask for a link; `/reset-password#token=...`: choose the new password. */
export function ResetPasswordScreen() {
  const token = useLinkToken();
  const [done, setDone] = useState('');
  // A link opened over the request form (the same page) starts afresh.
  useEffect(() => setDone(''), [token]);
  return (
    <Page title={token ? 'Choose a new password' : 'Reset your password'}>
      {done ? (
        <p className="alert alert-info" role="status">
          {done}
        </p>
      ) : token ? (
        <Form
          submitLabel="Set new password"
          busyLabel="Saving…"
          onSubmit={async (values) => {
            await account.resetPassword(token, formString(values, 'password'));
            setDone('Your password was changed and every browser was signed out. Log in with the new password.');
          }}
        >
          <TextField name="password" label="New password" type="password" required autoComplete="new-password" hint="At least 12 characters." />
        </Form>
      ) : (
        <Form
          submitLabel="Send reset link"
          busyLabel="Sending…"
          onSubmit={async (values) => {
            const answer = await account.requestPasswordReset(formString(values, 'email').trim());
            setDone(answer.detail);
          }}
        >
          <TextField name="email" label="Email" type="email" required autoComplete="username" />
        </Form>
      )}
      <p className="auth-footer">
        <Link to="/login">Back to the login</Link>
      </p>
    </Page>
  );
}
