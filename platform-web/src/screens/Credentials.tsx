import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { credentials, providers } from '../api/endpoints';
import { ApiError, validationProblem, type FieldError } from '../api/problem';
import { keys } from '../api/queryKeys';
import type { CreateCredentialRequest, Credential, ProviderDescription } from '../api/schema';
import { useOrgScreen, useTitle } from '../context';
import { collect, credentialInputs, credentialRequest, secretInputs, type CredentialInput } from '../forms/credentialForm';
import { capitalize } from '../lib/format';
import { useCursorPages } from '../lib/paging';
import { can } from '../lib/permissions';
import { Modal, useConfirm } from '../ui/Dialog';
import { Form, TextField, formString } from '../ui/Form';
import { PagedTable, type Column } from '../ui/PagedTable';
import { Card, ErrorState, Loading, ScreenHeader } from '../ui/States';
import { Time } from '../ui/Time';

export function useProviders() {
  return useQuery({ queryKey: keys.providers, queryFn: () => providers.list().then((page) => page.items), staleTime: Infinity });
}

/** The form's values by control name, for the credential schema helpers. */
export function valuesOf(values: FormData): Map<string, string> {
  const map = new Map<string, string>();
  values.forEach((value, name) => {
    if (typeof value === 'string') map.set(name, value);
  });
  return map;
}

export function CredentialFields({ inputs }: { inputs: readonly CredentialInput[] }) {
  return (
    <>
      {inputs.map((input) => (
        <TextField
          key={input.name}
          name={input.name}
          label={input.label}
          type={input.type}
          required={input.required}
          placeholder={input.placeholder}
          hint={input.hint}
          autoComplete={input.secret ? 'off' : undefined}
        />
      ))}
    </>
  );
}

export function CredentialsScreen() {
  const { org } = useOrgScreen();
  useTitle(`Credentials · ${org.name}`);
  const client = useQueryClient();
  const confirm = useConfirm();
  const manage = can(org.role, 'credentials:manage');
  const providerList = useProviders();
  const list = useCursorPages(keys.credentials(org.id), () => credentials.list(org.id));
  const [rotating, setRotating] = useState<Credential | null>(null);
  const [notice, setNotice] = useState('');
  const refresh = () => client.invalidateQueries({ queryKey: keys.credentials(org.id) });

  const action = useMutation({
    mutationFn: async ({ kind, credential }: { kind: 'verify' | 'default' | 'delete'; credential: Credential }) => {
      if (kind === 'verify') {
        const result = await credentials.verify(org.id, credential.id);
        return result.valid
          ? `“${credential.label}” works: ${result.detail ?? 'the provider accepted it'}.`
          : `“${credential.label}” was refused by ${credential.provider}: ${result.detail ?? 'no detail'}.`;
      }
      if (kind === 'default') {
        await credentials.makeDefault(org.id, credential.id);
        return `“${credential.label}” is now the default ${credential.provider} credential.`;
      }
      await credentials.remove(org.id, credential.id);
      return `“${credential.label}” was deleted.`;
    },
    onSuccess: async (message) => {
      setNotice(message);
      await refresh();
    },
  });

  const providerName = (id: string) => providerList.data?.find((p) => p.id === id)?.name ?? id;

  const columns: Column<Credential>[] = [
    { header: 'Label', rowHeader: true, cell: (c) => c.label },
    { header: 'Provider', cell: (c) => providerName(c.provider) },
    {
      header: 'Config',
      cell: (c) =>
        Object.keys(c.config).length ? (
          <dl className="kv">
            {Object.entries(c.config).map(([name, value]) => (
              <div key={name}>
                <dt>{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        ) : (
          '—'
        ),
    },
    { header: 'Secret', cell: (c) => <code title={c.fingerprint}>…{c.last4}</code> },
    { header: 'Default', cell: (c) => (c.is_default ? <span className="badge badge-active">Default</span> : '—') },
    {
      header: 'Verified',
      cell: (c) => (c.verification ? <>{capitalize(c.verification)} <Time value={c.verified_at} /></> : 'Not yet'),
    },
    { header: 'Rotated', cell: (c) => <Time value={c.rotated_at} empty="Never" /> },
  ];
  if (manage) {
    columns.push({
      header: 'Actions',
      className: 'actions',
      cell: (c) => (
        <>
          <button type="button" className="button button-small" aria-label={`Verify ${c.label}`} disabled={action.isPending} onClick={() => action.mutate({ kind: 'verify', credential: c })}>
            Verify
          </button>
          <button type="button" className="button button-small" aria-label={`Rotate secret of ${c.label}`} onClick={() => setRotating(c)}>
            Rotate secret
          </button>
          {c.is_default ? null : (
            <button type="button" className="button button-small" aria-label={`Make default: ${c.label}`} disabled={action.isPending} onClick={() => action.mutate({ kind: 'default', credential: c })}>
              Make default
            </button>
          )}
          <button
            type="button"
            className="button button-small button-danger-outline"
            aria-label={`Delete ${c.label}`}
            onClick={async () => {
              const ok = await confirm({
                title: `Delete “${c.label}”?`,
                message: `Tokens can no longer be minted with this ${providerName(c.provider)} credential. Its secret is destroyed; this cannot be undone.`,
                confirmLabel: 'Delete credential',
                danger: true,
              });
              if (ok) action.mutate({ kind: 'delete', credential: c });
            }}
          >
            Delete
          </button>
        </>
      ),
    });
  }

  return (
    <div className="view">
      <ScreenHeader
        title="Provider credentials"
        lead="Your provider keys, stored encrypted. Secrets are write-only: after saving you see only their last four characters and a fingerprint."
      />
      <p className="visually-hidden" role="status">
        {notice}
      </p>
      {notice ? <p className="alert alert-info">{notice}</p> : null}
      {manage ? (
        <Card id="add-credential-heading" title="Add a credential">
          {providerList.isPending ? <Loading label="Loading providers…" /> : null}
          {providerList.isError ? <ErrorState error={providerList.error} onRetry={() => void providerList.refetch()} /> : null}
          {providerList.data ? (
            <AddCredentialForm
              providers={providerList.data}
              onSaved={async (saved) => {
                setNotice(`“${saved.label}” was saved${saved.is_default ? ' as the default' : ''}. Its secret is not shown again.`);
                await refresh();
              }}
              create={(request) => credentials.create(org.id, request)}
            />
          ) : null}
        </Card>
      ) : null}
      <Card id="credentials-heading" title="Credentials">
        {action.isError ? <ErrorState error={action.error} /> : null}
        <PagedTable
          label="Provider credentials"
          query={list}
          columns={columns}
          rowKey={(c) => c.id}
          loadingLabel="Loading credentials…"
          empty={manage ? 'No credentials yet. Add your first provider key above.' : 'No credentials yet.'}
        />
      </Card>
      {rotating && providerList.data ? (
        <RotateSecretDialog
          credential={rotating}
          provider={providerList.data.find((p) => p.id === rotating.provider)}
          onClose={() => setRotating(null)}
          onRotated={async () => {
            setNotice(`The secret of “${rotating.label}” was replaced.`);
            setRotating(null);
            await refresh();
          }}
          rotate={(secret) => credentials.rotateSecret(org.id, rotating.id, secret)}
        />
      ) : null}
    </div>
  );
}

function AddCredentialForm({
  providers: all,
  create,
  onSaved,
}: {
  providers: readonly ProviderDescription[];
  create(request: CreateCredentialRequest): Promise<Credential>;
  onSaved(saved: Credential): Promise<void>;
}) {
  const [providerId, setProviderId] = useState(all[0]?.id ?? '');
  const [generation, setGeneration] = useState(0);
  const selectId = useId();
  const provider = all.find((p) => p.id === providerId);
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor={selectId}>Provider</label>
        <select id={selectId} value={providerId} onChange={(event) => setProviderId(event.target.value)}>
          {all.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      {provider ? (
        <Form
          key={`${provider.id}-${generation}`}
          submitLabel={`Save ${provider.name} credential`}
          busyLabel="Saving…"
          onSubmit={async (values) => {
            const built = credentialRequest(provider, formString(values, 'label'), valuesOf(values));
            if (!built.ok) throw new ApiError(built.problem);
            const saved = await create(built.request);
            setGeneration((value) => value + 1);
            await onSaved(saved);
          }}
        >
          <TextField name="label" label="Label" required maxLength={100} autoComplete="off" hint="Tells credentials of one provider apart, e.g. “production”." />
          <CredentialFields inputs={credentialInputs(provider)} />
        </Form>
      ) : null}
    </div>
  );
}

function RotateSecretDialog({
  credential,
  provider,
  rotate,
  onRotated,
  onClose,
}: {
  credential: Credential;
  provider: ProviderDescription | undefined;
  rotate(secret: Record<string, string>): Promise<Credential>;
  onRotated(): Promise<void>;
  onClose(): void;
}) {
  return (
    <Modal title={`Rotate the secret of “${credential.label}”`} onClose={onClose}>
      {provider ? (
        <Form
          submitLabel="Replace secret"
          busyLabel="Replacing…"
          actions={
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
          }
          onSubmit={async (values) => {
            const errors: FieldError[] = [];
            const secret = collect('secret', provider.secret, valuesOf(values), errors);
            if (errors.length) throw new ApiError(validationProblem(errors));
            await rotate(secret);
            await onRotated();
          }}
        >
          <p>The new secret replaces the stored one at once; tokens minted from now on use it.</p>
          <CredentialFields inputs={secretInputs(provider)} />
        </Form>
      ) : (
        <p>This provider is not known to the server any more.</p>
      )}
    </Modal>
  );
}
