import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { apiKeys } from '../api/endpoints';
import { ApiError, validationProblem } from '../api/problem';
import { keys } from '../api/queryKeys';
import type { ApiKey, CreateApiKeyRequest, CreatedApiKey } from '../api/schema';
import { useOrgScreen, useTitle } from '../context';
import { apiKeyStatus, capitalize, formatDateTime, localInputToRfc3339 } from '../lib/format';
import { useCursorPages } from '../lib/paging';
import { can, grantableScopes, type Scope } from '../lib/permissions';
import { DismissButton, Modal, useConfirm } from '../ui/Dialog';
import { CheckboxGroup, Form, TextField, formString, formStrings } from '../ui/Form';
import { PagedTable, type Column } from '../ui/PagedTable';
import { ErrorState } from '../ui/States';
import { Card, ScreenHeader } from '../ui/States';
import { SecretPanel } from '../ui/SecretPanel';
import { Time } from '../ui/Time';

const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  'tokens:mint': 'Mint short-lived provider tokens',
  'sessions:mint': 'Mint one-time realtime session tokens',
  'rooms:write': 'Create and manage video rooms',
  'usage:read': 'Read usage and metering data',
  admin: 'Everything in this organization',
};

export function ApiKeysScreen() {
  const { org } = useOrgScreen();
  useTitle(`API keys · ${org.name}`);
  const client = useQueryClient();
  const confirm = useConfirm();
  const manage = can(org.role, 'api-keys:manage');
  const list = useCursorPages(keys.apiKeys(org.id), (cursor) => apiKeys.list(org.id, cursor));
  const [shown, setShown] = useState<{ key: CreatedApiKey; heading: string } | null>(null);
  const [rotating, setRotating] = useState<ApiKey | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: keys.apiKeys(org.id) });

  const revoke = useMutation({
    mutationFn: (key: ApiKey) => apiKeys.revoke(org.id, key.id),
    onSuccess: refresh,
  });

  const columns: Column<ApiKey>[] = [
    { header: 'Name', rowHeader: true, cell: (key) => key.name },
    { header: 'Prefix', cell: (key) => <code>{key.prefix}…</code> },
    {
      header: 'Scopes',
      cell: (key) => (
        <ul className="chips">
          {key.scopes.map((scope) => (
            <li key={scope} className="chip">
              {scope}
            </li>
          ))}
        </ul>
      ),
    },
    { header: 'Created', cell: (key) => <Time value={key.created_at} /> },
    { header: 'Expires', cell: (key) => <Time value={key.expires_at} empty="Never" /> },
    { header: 'Last used', cell: (key) => <Time value={key.last_used_at} empty="Never" /> },
    {
      header: 'Status',
      cell: (key) => {
        const status = apiKeyStatus(key);
        return (
          <>
            <span className={`badge badge-${status}`}>{capitalize(status)}</span>
            {status === 'retiring' && key.revoked_at ? <span className="cell-note">until {formatDateTime(key.revoked_at)}</span> : null}
          </>
        );
      },
    },
  ];
  if (manage) {
    columns.push({
      header: 'Actions',
      className: 'actions',
      cell: (key) =>
        apiKeyStatus(key) === 'revoked' ? null : (
          <>
            <button type="button" className="button button-small" aria-label={`Rotate ${key.name}`} onClick={() => setRotating(key)}>
              Rotate
            </button>
            <button
              type="button"
              className="button button-small button-danger-outline"
              aria-label={`Revoke ${key.name}`}
              onClick={async () => {
                const ok = await confirm({
                  title: `Revoke “${key.name}”?`,
                  message: `Anything using the key ${key.prefix}… stops working within a second. This cannot be undone.`,
                  confirmLabel: 'Revoke key',
                  danger: true,
                });
                if (ok) revoke.mutate(key);
              }}
            >
              Revoke
            </button>
          </>
        ),
    });
  }

  return (
    <div className="view">
      <ScreenHeader title="API keys" lead={`Keys let your servers call Latchkey on behalf of ${org.name}. Give each key only the scopes it needs.`} />
      {shown ? (
        <SecretPanel
          heading={shown.heading}
          label={`Secret of API key ${shown.key.name}`}
          secret={shown.key.key}
          details={[
            ['Name', shown.key.name],
            ['Scopes', shown.key.scopes.join(', ') || '—'],
            ['Expires', formatDateTime(shown.key.expires_at, 'Never')],
          ]}
          dismissLabel="I have stored the key"
          onDismiss={() => setShown(null)}
        />
      ) : null}
      {manage ? (
        <Card id="create-key-heading" title="Create an API key">
          <CreateKeyForm
            scopes={grantableScopes(org.role)}
            onCreated={async (key) => {
              setShown({ key, heading: `API key “${key.name}” created` });
              await refresh();
            }}
            create={(request) => apiKeys.create(org.id, request)}
          />
        </Card>
      ) : null}
      <Card id="keys-heading" title="Keys">
        {revoke.isError ? <ErrorState error={revoke.error} /> : null}
        <PagedTable
          label="API keys"
          query={list}
          columns={columns}
          rowKey={(key) => key.id}
          loadingLabel="Loading API keys…"
          empty={manage ? 'No API keys yet. Create one above to start calling the API.' : 'No API keys yet.'}
          rowClassName={(key) => (apiKeyStatus(key) === 'revoked' ? 'row-muted' : undefined)}
        />
      </Card>
      {rotating ? (
        <RotateDialog
          apiKey={rotating}
          onClose={() => setRotating(null)}
          rotate={(grace) => apiKeys.rotate(org.id, rotating.id, grace)}
          onRotated={async (key) => {
            setRotating(null);
            setShown({ key, heading: `New secret for “${key.name}”` });
            await refresh();
          }}
        />
      ) : null}
    </div>
  );
}

function CreateKeyForm({
  scopes,
  create,
  onCreated,
}: {
  scopes: Scope[];
  create(request: CreateApiKeyRequest): Promise<CreatedApiKey>;
  onCreated(key: CreatedApiKey): Promise<void>;
}) {
  const [generation, setGeneration] = useState(0);
  return (
    <Form
      key={generation}
      submitLabel="Create key"
      busyLabel="Creating…"
      onSubmit={async (values) => {
        const expiresAt = localInputToRfc3339(formString(values, 'expires_at'));
        if (expiresAt === null) throw new ApiError(validationProblem([{ field: 'expires_at', message: 'Enter a valid date and time.' }]));
        const request: CreateApiKeyRequest = { name: formString(values, 'name').trim(), scopes: formStrings(values, 'scopes') };
        if (expiresAt) request.expires_at = expiresAt;
        const created = await create(request);
        setGeneration((value) => value + 1);
        await onCreated(created);
      }}
    >
      <TextField name="name" label="Name" required maxLength={100} autoComplete="off" hint="Where the key is used, e.g. “production backend”." />
      <CheckboxGroup
        name="scopes"
        label="Scopes"
        hint="Only the scopes your role holds can be granted."
        options={scopes.map((scope) => ({ value: scope, label: scope, description: SCOPE_DESCRIPTIONS[scope] }))}
        defaultChecked={['tokens:mint']}
      />
      <TextField name="expires_at" label="Expires (optional)" type="datetime-local" hint="In your local time. Leave empty for a key that does not expire." />
    </Form>
  );
}

function RotateDialog({
  apiKey,
  rotate,
  onRotated,
  onClose,
}: {
  apiKey: ApiKey;
  rotate(graceSeconds: number): Promise<CreatedApiKey>;
  onRotated(key: CreatedApiKey): Promise<void>;
  onClose(): void;
}) {
  return (
    <Modal title={`Rotate “${apiKey.name}”`} onClose={onClose}>
      <p>A new secret is issued now. The current one keeps working during the grace period, so you can roll out the new one without downtime.</p>
      <Form
        submitLabel="Rotate key"
        busyLabel="Rotating…"
        actions={<DismissButton onClick={onClose} />}
        onSubmit={async (values) => {
          const raw = formString(values, 'grace_seconds').trim();
          const grace = Number(raw);
          if (!raw || !Number.isInteger(grace) || grace < 0) {
            throw new ApiError(validationProblem([{ field: 'grace_seconds', message: 'Enter a whole number of seconds (0 or more).' }]));
          }
          await onRotated(await rotate(grace));
        }}
      >
        <TextField
          name="grace_seconds"
          label="Grace period (seconds)"
          type="number"
          min={0}
          required
          defaultValue="3600"
          hint="0 retires the old secret at once; 3600 is one hour, 86400 one day."
        />
      </Form>
    </Modal>
  );
}
