import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { admin, platformCredentials } from '../../api/endpoints';
import { ApiError, validationProblem, type FieldError } from '../../api/problem';
import { keys } from '../../api/queryKeys';
import type { AdminOrganization, ManagedAccess, PlatformCredential, ProviderDescription } from '../../api/schema';
import { useTitle } from '../../context';
import { collect, credentialInputs, credentialRequest, secretInputs } from '../../forms/credentialForm';
import { capChange, describeCap } from '../../forms/platformCredentialForm';
import { capitalize } from '../../lib/format';
import { useCursorPages } from '../../lib/paging';
import { Modal, useConfirm } from '../../ui/Dialog';
import { CheckboxGroup, Form, TextField, formString, formStrings } from '../../ui/Form';
import { PagedTable, type Column } from '../../ui/PagedTable';
import { Card, ErrorState, Loading, ScreenHeader } from '../../ui/States';
import { Time } from '../../ui/Time';
import { CredentialFields, useProviders, valuesOf } from '../Credentials';

/**
 * The platform's own provider credentials: organizations with managed access broker through the
 * default of each provider when they have no credential of their own (or ask for "managed"), and
 * are billed at the managed price. Secrets are write-only here too.
 */
export function AdminManagedCredentialsScreen() {
  useTitle('Managed credentials · Platform admin');
  const client = useQueryClient();
  const confirm = useConfirm();
  const providerList = useProviders();
  const list = useCursorPages(keys.platformCredentials, () => platformCredentials.list());
  const [rotating, setRotating] = useState<PlatformCredential | null>(null);
  const [capping, setCapping] = useState<PlatformCredential | null>(null);
  const [notice, setNotice] = useState('');
  const refresh = () => client.invalidateQueries({ queryKey: keys.platformCredentials });
  const providerName = (id: string) => providerList.data?.find((p) => p.id === id)?.name ?? id;

  const action = useMutation({
    mutationFn: async ({ kind, credential }: { kind: 'verify' | 'default' | 'delete'; credential: PlatformCredential }) => {
      if (kind === 'verify') {
        const result = await platformCredentials.verify(credential.id);
        return result.valid
          ? `“${credential.label}” works: ${result.detail ?? 'the provider accepted it'}.`
          : `“${credential.label}” was refused by ${credential.provider}: ${result.detail ?? 'no detail'}.`;
      }
      if (kind === 'default') {
        await platformCredentials.makeDefault(credential.id);
        return `“${credential.label}” now serves managed ${credential.provider} requests.`;
      }
      await platformCredentials.remove(credential.id);
      return `“${credential.label}” was deleted and its key destroyed.`;
    },
    onSuccess: async (message) => {
      setNotice(message);
      await refresh();
    },
  });

  const columns: Column<PlatformCredential>[] = [
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
    { header: 'Serves managed', cell: (c) => (c.is_default ? <span className="badge badge-active">Default</span> : '—') },
    { header: 'Platform cap', cell: (c) => describeCap(c.cap) },
    { header: 'Verified', cell: (c) => (c.verification ? <>{capitalize(c.verification)} <Time value={c.verified_at} /></> : 'Not yet') },
    {
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
          <button type="button" className="button button-small" aria-label={`Cap of ${c.label}`} onClick={() => setCapping(c)}>
            Cap
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
                message: `Organizations with managed ${providerName(c.provider)} access can no longer broker through it. Its data key is destroyed; this cannot be undone.`,
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
    },
  ];

  return (
    <div className="view">
      <ScreenHeader
        title="Managed credentials"
        lead="Provider credentials of the platform itself. Organizations with managed access broker through each provider's default and are billed at the managed price; they never see these credentials."
      />
      <p className="visually-hidden" role="status">
        {notice}
      </p>
      {notice ? <p className="alert alert-info">{notice}</p> : null}
      <Card id="add-platform-credential-heading" title="Add a managed credential">
        {providerList.isPending ? <Loading label="Loading providers…" /> : null}
        {providerList.isError ? <ErrorState error={providerList.error} onRetry={() => void providerList.refetch()} /> : null}
        {providerList.data ? (
          <AddPlatformCredentialForm
            providers={providerList.data}
            onSaved={async (saved) => {
              setNotice(`“${saved.label}” was saved${saved.is_default ? ' and serves managed requests' : ''}. Its secret is not shown again.`);
              await refresh();
            }}
          />
        ) : null}
      </Card>
      <Card id="platform-credentials-heading" title="Platform credentials">
        {action.isError ? <ErrorState error={action.error} /> : null}
        <PagedTable
          label="Managed credentials"
          query={list}
          columns={columns}
          rowKey={(c) => c.id}
          loadingLabel="Loading managed credentials…"
          empty="No managed credentials yet: organizations with managed access get a 409 until one is added."
        />
      </Card>
      {rotating && providerList.data ? (
        <RotatePlatformSecretDialog
          credential={rotating}
          provider={providerList.data.find((p) => p.id === rotating.provider)}
          onClose={() => setRotating(null)}
          onRotated={async () => {
            setNotice(`The secret of “${rotating.label}” was replaced.`);
            setRotating(null);
            await refresh();
          }}
        />
      ) : null}
      {capping ? (
        <CapDialog
          credential={capping}
          onClose={() => setCapping(null)}
          onSaved={async (saved) => {
            setNotice(`The cap of “${saved.label}” is now: ${describeCap(saved.cap)}.`);
            setCapping(null);
            await refresh();
          }}
        />
      ) : null}
    </div>
  );
}

function CapFields() {
  return (
    <div className="field-row">
      <TextField name="cap.requests_per_minute" label="Cap: requests per minute (optional)" type="number" min={1} hint="Shared by every organization." />
      <TextField name="cap.requests_per_month" label="Cap: requests per month (optional)" type="number" min={0} />
    </div>
  );
}

function capOf(values: FormData) {
  return capChange({ perMinute: formString(values, 'cap.requests_per_minute'), perMonth: formString(values, 'cap.requests_per_month') });
}

function AddPlatformCredentialForm({ providers: all, onSaved }: { providers: readonly ProviderDescription[]; onSaved(saved: PlatformCredential): Promise<void> }) {
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
          submitLabel={`Save managed ${provider.name} credential`}
          busyLabel="Saving…"
          onSubmit={async (values) => {
            const built = credentialRequest(provider, formString(values, 'label'), valuesOf(values));
            if (!built.ok) throw new ApiError(built.problem);
            const saved = await platformCredentials.create({ ...built.request, cap: capOf(values) });
            setGeneration((value) => value + 1);
            await onSaved(saved);
          }}
        >
          <TextField name="label" label="Label" required maxLength={100} autoComplete="off" hint="Seen by platform admins only." />
          <CredentialFields inputs={credentialInputs(provider)} />
          <CapFields />
        </Form>
      ) : null}
    </div>
  );
}

function RotatePlatformSecretDialog({
  credential,
  provider,
  onRotated,
  onClose,
}: {
  credential: PlatformCredential;
  provider: ProviderDescription | undefined;
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
            await platformCredentials.rotateSecret(credential.id, secret);
            await onRotated();
          }}
        >
          <p>Managed requests of every organization use the new secret from now on.</p>
          <CredentialFields inputs={secretInputs(provider)} />
        </Form>
      ) : (
        <p>This provider is not known to the server any more.</p>
      )}
    </Modal>
  );
}

function CapDialog({ credential, onSaved, onClose }: { credential: PlatformCredential; onSaved(saved: PlatformCredential): Promise<void>; onClose(): void }) {
  return (
    <Modal title={`Cap of “${credential.label}”`} onClose={onClose}>
      <p>The platform-wide limits of this credential, whichever organization asks; an empty field is no cap. Now: {describeCap(credential.cap)}.</p>
      <Form
        submitLabel="Save cap"
        busyLabel="Saving…"
        actions={
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        }
        onSubmit={async (values) => {
          await onSaved(await platformCredentials.setCap(credential.id, capChange({
            perMinute: formString(values, 'requests_per_minute'),
            perMonth: formString(values, 'requests_per_month'),
          }, '')));
        }}
      >
        <TextField name="requests_per_minute" label="Requests per minute" type="number" min={1} defaultValue={credential.cap.requests_per_minute?.toString() ?? ''} />
        <TextField name="requests_per_month" label="Requests per month" type="number" min={0} defaultValue={credential.cap.requests_per_month?.toString() ?? ''} />
      </Form>
    </Modal>
  );
}

/** Which providers an organization brokers through the platform's credentials: its plan's, and those switched on here. */
export function ManagedAccessDialog({ org, onClose }: { org: AdminOrganization; onClose(): void }) {
  const client = useQueryClient();
  const providerList = useProviders();
  const access = useQuery({ queryKey: keys.adminManagedAccess(org.id), queryFn: () => admin.managedAccess(org.id) });
  const [saved, setSaved] = useState<ManagedAccess | null>(null);
  return (
    <Modal title={`Managed access of ${org.name}`} onClose={onClose}>
      {access.isPending || providerList.isPending ? <Loading label="Loading managed access…" /> : null}
      {access.isError ? <ErrorState error={access.error} onRetry={() => void access.refetch()} /> : null}
      {access.data && providerList.data ? (
        <>
          <p>
            Without a credential of its own (or when it asks for “managed”), the organization brokers through the platform's credential of these providers,
            billed at the managed price. Its plan (<code>{access.data.plan}</code>) gives{' '}
            {access.data.plan_providers.length ? access.data.plan_providers.join(', ') : 'none'}.
          </p>
          <Form
            submitLabel="Save managed access"
            busyLabel="Saving…"
            actions={
              <button type="button" className="button" onClick={onClose}>
                Close
              </button>
            }
            onSubmit={async (values) => {
              const result = await admin.setManagedAccess(org.id, formStrings(values, 'providers'));
              setSaved(result);
              client.setQueryData(keys.adminManagedAccess(org.id), result);
            }}
          >
            <CheckboxGroup
              name="providers"
              label="Switched on for this organization"
              options={providerList.data.map((p) => ({ value: p.id, label: p.name }))}
              defaultChecked={access.data.providers}
            />
          </Form>
          <div role="status">
            {saved ? (
              <p className="alert alert-info">
                Saved. Managed providers: {saved.effective_providers.length ? saved.effective_providers.join(', ') : 'none'}.
              </p>
            ) : null}
          </div>
        </>
      ) : null}
    </Modal>
  );
}
