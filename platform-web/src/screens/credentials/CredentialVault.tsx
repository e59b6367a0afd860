import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { CreateCredentialRequest, Credential, Page } from '../../api/schema';
import { capitalize } from '../../lib/format';
import { useCursorPages } from '../../lib/paging';
import { useConfirm } from '../../ui/Dialog';
import { KeyValues } from '../../ui/KeyValues';
import { PagedTable, type Column } from '../../ui/PagedTable';
import { Card, ErrorState, Loading, ScreenHeader } from '../../ui/States';
import { Time } from '../../ui/Time';
import { AddCredentialForm, RotateSecretDialog } from './CredentialForms';
import { useProviders } from './useProviders';

/** The calls of one vault: an organization's credentials, or the platform's managed ones. */
export interface VaultApi<T extends Credential> {
  queryKey: QueryKey;
  list(): Promise<Page<T>>;
  /** `values` is the add form's, for fields beyond the provider's own. */
  create(request: CreateCredentialRequest, values: FormData): Promise<T>;
  verify(credentialId: string): Promise<{ valid: boolean; detail: string | null }>;
  makeDefault(credentialId: string): Promise<unknown>;
  remove(credentialId: string): Promise<unknown>;
  rotateSecret(credentialId: string, secret: Record<string, string>): Promise<unknown>;
}

/** What a vault's screen says where the two vaults differ. */
export interface VaultWording {
  title: string;
  lead: string;
  /** The word before “credential” in the add card's heading and button and in the loading label, if any: “managed”. */
  kind?: string;
  addCardId: string;
  listCard: { id: string; title: string };
  empty: string;
  labelHint: string;
  /** The header of the column that marks the default credential of a provider. */
  defaultHeader: string;
  /** Appended to “… was saved” when the new credential became its provider's default. */
  savedAsDefault: string;
  madeDefault(credential: Credential): string;
  deleted(credential: Credential): string;
  deleteWarning(providerName: string): string;
  rotateNote: string;
}

/** The columns every vault has, for a screen to put in its order with its own. */
export interface StandardColumns<T extends Credential> {
  label: Column<T>;
  provider: Column<T>;
  secret: Column<T>;
  isDefault: Column<T>;
  verified: Column<T>;
  rotated: Column<T>;
}

interface CredentialVaultProps<T extends Credential> {
  api: VaultApi<T>;
  wording: VaultWording;
  /** May add, verify, rotate, make default and delete (otherwise the list only). */
  manage: boolean;
  columns(standard: StandardColumns<T>): Column<T>[];
  /** Buttons of a row after “Rotate secret”. */
  extraActions?(credential: T): ReactNode;
  extraFields?: ReactNode;
  /** The screen's own dialogs; `notify` shows a message and reloads the list. */
  dialogs?(notify: (message: string) => Promise<void>): ReactNode;
}

/**
 * One screen of provider credentials: the add form, the table with its row actions (verify,
 * rotate the secret, make default, delete) and the rotate dialog. Secrets are write-only: after
 * saving only their last four characters and a fingerprint are shown.
 */
export function CredentialVault<T extends Credential>({ api, wording, manage, columns, extraActions, extraFields, dialogs }: CredentialVaultProps<T>) {
  const client = useQueryClient();
  const confirm = useConfirm();
  const providerList = useProviders();
  const list = useCursorPages(api.queryKey, () => api.list());
  const [rotating, setRotating] = useState<T | null>(null);
  const [notice, setNotice] = useState('');
  const notify = async (message: string) => {
    setNotice(message);
    await client.invalidateQueries({ queryKey: api.queryKey });
  };
  const providerName = (id: string) => providerList.data?.find((p) => p.id === id)?.name ?? id;
  const kind = wording.kind ? `${wording.kind} ` : '';

  const action = useMutation({
    mutationFn: async ({ kind, credential }: { kind: 'verify' | 'default' | 'delete'; credential: T }) => {
      if (kind === 'verify') {
        const result = await api.verify(credential.id);
        return result.valid
          ? `“${credential.label}” works: ${result.detail ?? 'the provider accepted it'}.`
          : `“${credential.label}” was refused by ${credential.provider}: ${result.detail ?? 'no detail'}.`;
      }
      if (kind === 'default') {
        await api.makeDefault(credential.id);
        return wording.madeDefault(credential);
      }
      await api.remove(credential.id);
      return wording.deleted(credential);
    },
    onSuccess: notify,
  });

  const standard: StandardColumns<T> = {
    // The config goes under the label rather than in a column of its own: URLs and endpoints are long.
    label: {
      header: 'Label',
      rowHeader: true,
      cell: (c) => (
        <>
          {c.label}
          <KeyValues values={c.config} className="cell-note" />
        </>
      ),
    },
    provider: { header: 'Provider', cell: (c) => providerName(c.provider) },
    secret: { header: 'Secret', cell: (c) => <code title={c.fingerprint}>…{c.last4}</code> },
    isDefault: { header: wording.defaultHeader, className: 'cell-wrap', cell: (c) => (c.is_default ? <span className="badge badge-active">Default</span> : '—') },
    verified: { header: 'Verified', className: 'cell-wrap', cell: (c) => (c.verification ? <>{capitalize(c.verification)} <Time value={c.verified_at} /></> : 'Not yet') },
    rotated: { header: 'Rotated', cell: (c) => <Time value={c.rotated_at} empty="Never" /> },
  };
  const shown = columns(standard);
  if (manage) {
    shown.push({
      header: 'Actions',
      className: 'actions cell-wrap',
      cell: (c) => (
        <>
          <button type="button" className="button button-small" aria-label={`Verify ${c.label}`} disabled={action.isPending} onClick={() => action.mutate({ kind: 'verify', credential: c })}>
            Verify
          </button>
          <button type="button" className="button button-small" aria-label={`Rotate secret of ${c.label}`} onClick={() => setRotating(c)}>
            Rotate secret
          </button>
          {extraActions?.(c)}
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
                message: wording.deleteWarning(providerName(c.provider)),
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
      <ScreenHeader title={wording.title} lead={wording.lead} />
      <p className="visually-hidden" role="status">
        {notice}
      </p>
      {notice ? <p className="alert alert-info">{notice}</p> : null}
      {manage ? (
        <Card id={wording.addCardId} title={`Add a ${kind}credential`}>
          {providerList.isPending ? <Loading label="Loading providers…" /> : null}
          {providerList.isError ? <ErrorState error={providerList.error} onRetry={() => void providerList.refetch()} /> : null}
          {providerList.data ? (
            <AddCredentialForm
              providers={providerList.data}
              submitLabel={(provider) => `Save ${kind}${provider} credential`}
              labelHint={wording.labelHint}
              extraFields={extraFields}
              create={api.create}
              onSaved={(saved) => notify(`“${saved.label}” was saved${saved.is_default ? wording.savedAsDefault : ''}. Its secret is not shown again.`)}
            />
          ) : null}
        </Card>
      ) : null}
      <Card id={wording.listCard.id} title={wording.listCard.title}>
        {action.isError ? <ErrorState error={action.error} /> : null}
        <PagedTable label={wording.title} query={list} columns={shown} rowKey={(c) => c.id} loadingLabel={`Loading ${kind}credentials…`} empty={wording.empty} />
      </Card>
      {rotating && providerList.data ? (
        <RotateSecretDialog
          credential={rotating}
          provider={providerList.data.find((p) => p.id === rotating.provider)}
          note={wording.rotateNote}
          onClose={() => setRotating(null)}
          rotate={(secret) => api.rotateSecret(rotating.id, secret)}
          onRotated={async () => {
            setRotating(null);
            await notify(`The secret of “${rotating.label}” was replaced.`);
          }}
        />
      ) : null}
      {dialogs?.(notify)}
    </div>
  );
}
