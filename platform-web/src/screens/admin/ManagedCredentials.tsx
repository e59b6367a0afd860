import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { admin, platformCredentials } from '../../api/endpoints';
import { keys } from '../../api/queryKeys';
import type { AdminOrganization, ManagedAccess, PlatformCredential } from '../../api/schema';
import { useTitle } from '../../context';
import { capChange, describeCap } from '../../forms/platformCredentialForm';
import { DismissButton, Modal } from '../../ui/Dialog';
import { CheckboxGroup, Form, TextField, formString, formStrings } from '../../ui/Form';
import { ErrorState, Loading } from '../../ui/States';
import { CredentialVault, type VaultApi } from '../credentials/CredentialVault';
import { useProviders } from '../credentials/useProviders';

/**
 * The platform's own provider credentials: organizations with managed access broker through the
 * default of each provider when they have no credential of their own (or ask for "managed"), and
 * are billed at the managed price. Secrets are write-only here too.
 */
export function AdminManagedCredentialsScreen() {
  useTitle('Managed credentials · Platform admin');
  const [capping, setCapping] = useState<PlatformCredential | null>(null);
  const api: VaultApi<PlatformCredential> = {
    queryKey: keys.platformCredentials,
    list: () => platformCredentials.list(),
    create: (request, values) => platformCredentials.create({ ...request, cap: capOf(values) }),
    verify: (id) => platformCredentials.verify(id),
    makeDefault: (id) => platformCredentials.makeDefault(id),
    remove: (id) => platformCredentials.remove(id),
    rotateSecret: (id, secret) => platformCredentials.rotateSecret(id, secret),
  };
  return (
    <CredentialVault
      api={api}
      manage
      columns={(c) => [c.label, c.provider, c.secret, c.isDefault, { header: 'Platform cap', className: 'cell-wrap', cell: (p) => describeCap(p.cap) }, c.verified]}
      extraActions={(c) => (
        <button type="button" className="button button-small" aria-label={`Cap of ${c.label}`} onClick={() => setCapping(c)}>
          Cap
        </button>
      )}
      extraFields={<CapFields />}
      dialogs={(notify) =>
        capping ? (
          <CapDialog
            credential={capping}
            onClose={() => setCapping(null)}
            onSaved={async (saved) => {
              setCapping(null);
              await notify(`The cap of “${saved.label}” is now: ${describeCap(saved.cap)}.`);
            }}
          />
        ) : null
      }
      wording={{
        title: 'Managed credentials',
        lead: "Provider credentials of the platform itself. Organizations with managed access broker through each provider's default and are billed at the managed price; they never see these credentials.",
        kind: 'managed',
        addCardId: 'add-platform-credential-heading',
        listCard: { id: 'platform-credentials-heading', title: 'Platform credentials' },
        empty: 'No managed credentials yet: organizations with managed access get a 409 until one is added.',
        labelHint: 'Seen by platform admins only.',
        defaultHeader: 'Serves managed',
        savedAsDefault: ' and serves managed requests',
        madeDefault: (c) => `“${c.label}” now serves managed ${c.provider} requests.`,
        deleted: (c) => `“${c.label}” was deleted and its key destroyed.`,
        deleteWarning: (provider) => `Organizations with managed ${provider} access can no longer broker through it. Its data key is destroyed; this cannot be undone.`,
        rotateNote: 'Managed requests of every organization use the new secret from now on.',
      }}
    />
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

function CapDialog({ credential, onSaved, onClose }: { credential: PlatformCredential; onSaved(saved: PlatformCredential): Promise<void>; onClose(): void }) {
  return (
    <Modal title={`Cap of “${credential.label}”`} onClose={onClose}>
      <p>The platform-wide limits of this credential, whichever organization asks; an empty field is no cap. Now: {describeCap(credential.cap)}.</p>
      <Form
        submitLabel="Save cap"
        busyLabel="Saving…"
        actions={<DismissButton onClick={onClose} />}
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
            actions={<DismissButton label="Close" onClick={onClose} />}
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
