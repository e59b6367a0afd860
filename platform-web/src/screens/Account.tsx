import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import qrcode from 'qrcode-generator';
import { useState } from 'react';
import { account, type RecoveryCodes, type TotpEnrolment } from '../api/account';
import { auth } from '../api/endpoints';
import { keys } from '../api/queryKeys';
import { useSignedIn, useTitle } from '../context';
import { useSetSession } from '../session';
import { useConfirm } from '../ui/Dialog';
import { Form, TextField, formString } from '../ui/Form';
import { Card, ErrorState, Loading, ScreenHeader } from '../ui/States';
import { Time } from '../ui/Time';

/** The QR code of an otpauth URI as an image: a data URL, which the strict CSP allows (img-src data:). */
export function qrDataUrl(uri: string): string {
  const code = qrcode(0, 'M');
  code.addData(uri);
  code.make();
  return code.createDataURL(5, 4);
}

/** `/account`: the signed-in user's email, password, two-factor authentication and sessions. */
export function AccountScreen() {
  const session = useSignedIn();
  useTitle('Your account');
  return (
    <div className="view">
      <ScreenHeader title="Your account" lead={`Security of ${session.user.email}.`} />
      <EmailCard />
      <PasswordCard />
      <TwoFactorCard />
      <SessionsCard />
    </div>
  );
}

function EmailCard() {
  const session = useSignedIn();
  const [notice, setNotice] = useState('');
  const send = useMutation({ mutationFn: account.sendVerification, onSuccess: (answer) => setNotice(answer.detail) });
  return (
    <Card id="email-heading" title="Email">
      <p>
        {session.user.email}: {session.user.email_verified ? 'verified.' : 'not verified yet.'}
      </p>
      {session.user.email_verified ? null : (
        <button type="button" className="button" disabled={send.isPending} onClick={() => send.mutate()}>
          Send verification link
        </button>
      )}
      <p role="status">{notice}</p>
      {send.isError ? <ErrorState error={send.error} /> : null}
    </Card>
  );
}

function PasswordCard() {
  const [generation, setGeneration] = useState(0);
  const [notice, setNotice] = useState('');
  return (
    <Card id="password-heading" title="Password">
      <Form
        key={generation}
        submitLabel="Change password"
        busyLabel="Changing…"
        onSubmit={async (values) => {
          await account.changePassword(formString(values, 'current_password'), formString(values, 'new_password'));
          setGeneration((value) => value + 1);
          setNotice('Your password was changed; every other browser was signed out.');
        }}
      >
        <TextField name="current_password" label="Current password" type="password" required autoComplete="current-password" />
        <TextField name="new_password" label="New password" type="password" required autoComplete="new-password" hint="At least 12 characters." />
      </Form>
      <p role="status">{notice}</p>
    </Card>
  );
}

function RecoveryCodesPanel({ codes, onDone }: { codes: RecoveryCodes; onDone(): void }) {
  return (
    <section className="secret-panel" aria-labelledby="recovery-codes-heading">
      <h3 id="recovery-codes-heading">Recovery codes</h3>
      <p className="warning">
        <strong>Store them now. </strong>
        Each works once, instead of a code from the app, if you lose your device. They will not be shown again.
      </p>
      <ul className="recovery-codes" aria-label="Recovery codes">
        {codes.recovery_codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <button type="button" className="button" onClick={onDone}>
        I have stored the codes
      </button>
    </section>
  );
}

function TwoFactorCard() {
  const client = useQueryClient();
  const setSession = useSetSession();
  const status = useQuery({ queryKey: [...keys.me, 'mfa'], queryFn: account.mfa });
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [codes, setCodes] = useState<RecoveryCodes | null>(null);
  const begin = useMutation({ mutationFn: account.beginTotp, onSuccess: setEnrolment });
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: [...keys.me, 'mfa'] });
    setSession(await auth.me());
  };

  return (
    <Card id="mfa-heading" title="Two-factor authentication">
      {status.isPending ? <Loading label="Loading two-factor status…" /> : null}
      {status.isError ? <ErrorState error={status.error} /> : null}
      {codes ? <RecoveryCodesPanel codes={codes} onDone={() => setCodes(null)} /> : null}
      {status.data && !status.data.enabled && !enrolment ? (
        <>
          <p>Off. With it on, logging in also asks for a code from an authenticator app.</p>
          <button type="button" className="button button-primary" disabled={begin.isPending} onClick={() => begin.mutate()}>
            Set up two-factor authentication
          </button>
          {begin.isError ? <ErrorState error={begin.error} /> : null}
        </>
      ) : null}
      {enrolment ? (
        <div className="stack">
          <p>Scan this code with your authenticator app, then enter the 6-digit code it shows.</p>
          <img className="qr-code" src={qrDataUrl(enrolment.otpauth_uri)} alt="QR code of your two-factor secret" width={210} height={210} />
          <p>
            Cannot scan? Enter this key: <code aria-label="Two-factor secret key">{enrolment.secret}</code>
          </p>
          <Form
            className="inline-form"
            submitLabel="Turn on"
            busyLabel="Checking…"
            onSubmit={async (values) => {
              const created = await account.confirmTotp(formString(values, 'code').trim());
              setEnrolment(null);
              setCodes(created);
              await refresh();
            }}
          >
            <TextField name="code" label="Code from the app" required autoComplete="one-time-code" />
          </Form>
        </div>
      ) : null}
      {status.data?.enabled ? (
        <div className="stack">
          <p>
            On since <Time value={status.data.enabled_at} />. {status.data.recovery_codes_remaining} recovery codes left.
          </p>
          <Form
            className="inline-form"
            submitLabel="New recovery codes"
            busyLabel="Making…"
            onSubmit={async (values) => {
              setCodes(await account.regenerateRecoveryCodes(formString(values, 'code').trim()));
              await refresh();
            }}
          >
            <TextField name="code" label="Current code (for new recovery codes)" required autoComplete="one-time-code" />
          </Form>
          <Form
            submitLabel="Turn off two-factor authentication"
            busyLabel="Turning off…"
            danger
            onSubmit={async (values) => {
              await account.disableMfa(formString(values, 'password'), formString(values, 'code').trim());
              await refresh();
            }}
          >
            <TextField name="password" label="Password" type="password" required autoComplete="current-password" />
            <TextField name="code" label="Current code or a recovery code" required autoComplete="one-time-code" />
          </Form>
        </div>
      ) : null}
    </Card>
  );
}

function SessionsCard() {
  const client = useQueryClient();
  const confirm = useConfirm();
  const sessions = useQuery({ queryKey: [...keys.me, 'sessions'], queryFn: account.sessions });
  const refresh = () => client.invalidateQueries({ queryKey: [...keys.me, 'sessions'] });
  const end = useMutation({ mutationFn: account.endSession, onSuccess: refresh });
  const endOthers = useMutation({ mutationFn: account.endOtherSessions, onSuccess: refresh });
  return (
    <Card
      id="sessions-heading"
      title="Sessions"
      actions={
        <button
          type="button"
          className="button button-small button-danger-outline"
          onClick={async () => {
            if (await confirm({ title: 'Sign out every other browser?', message: 'Each of them has to log in again.', confirmLabel: 'Sign them out', danger: true }))
              endOthers.mutate();
          }}
        >
          Sign out other sessions
        </button>
      }
    >
      {sessions.isPending ? <Loading label="Loading sessions…" /> : null}
      {sessions.isError ? <ErrorState error={sessions.error} /> : null}
      {end.isError ? <ErrorState error={end.error} /> : null}
      {sessions.data ? (
        <div className="table-wrap" role="region" aria-label="Active sessions" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Address</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last seen</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.items.map((item) => (
                <tr key={item.id}>
                  <th scope="row">
                    {item.device}
                    {item.current ? <span className="you"> (this browser)</span> : null}
                    {item.user_agent ? <span className="cell-note">{item.user_agent}</span> : null}
                  </th>
                  <td>{item.ip ?? '—'}</td>
                  <td>
                    <Time value={item.created_at} />
                  </td>
                  <td>
                    <Time value={item.last_seen_at} />
                  </td>
                  <td className="actions">
                    {item.current ? null : (
                      <button type="button" className="button button-small button-danger-outline" aria-label={`End session on ${item.device}`} onClick={() => end.mutate(item.id)}>
                        End
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Card>
  );
}
