import { credentials } from '../api/endpoints';
import { keys } from '../api/queryKeys';
import type { Credential } from '../api/schema';
import { useOrgScreen, useTitle } from '../context';
import { can } from '../lib/permissions';
import { CredentialVault, type VaultApi } from './credentials/CredentialVault';

/** The organization's own provider credentials; members who may not manage them see the list only. */
export function CredentialsScreen() {
  const { org } = useOrgScreen();
  useTitle(`Credentials · ${org.name}`);
  const manage = can(org.role, 'credentials:manage');
  const api: VaultApi<Credential> = {
    queryKey: keys.credentials(org.id),
    list: () => credentials.list(org.id),
    create: (request) => credentials.create(org.id, request),
    verify: (id) => credentials.verify(org.id, id),
    makeDefault: (id) => credentials.makeDefault(org.id, id),
    remove: (id) => credentials.remove(org.id, id),
    rotateSecret: (id, secret) => credentials.rotateSecret(org.id, id, secret),
  };
  return (
    <CredentialVault
      api={api}
      manage={manage}
      columns={(c) => [c.label, c.provider, c.secret, c.isDefault, c.verified, c.rotated]}
      wording={{
        title: 'Provider credentials',
        lead: 'Your provider keys, stored encrypted. Secrets are write-only: after saving you see only their last four characters and a fingerprint.',
        addCardId: 'add-credential-heading',
        listCard: { id: 'credentials-heading', title: 'Credentials' },
        empty: manage ? 'No credentials yet. Add your first provider key above.' : 'No credentials yet.',
        labelHint: 'Tells credentials of one provider apart, e.g. “production”.',
        defaultHeader: 'Default',
        savedAsDefault: ' as the default',
        madeDefault: (c) => `“${c.label}” is now the default ${c.provider} credential.`,
        deleted: (c) => `“${c.label}” was deleted.`,
        deleteWarning: (provider) => `Tokens can no longer be minted with this ${provider} credential. Its secret is destroyed; this cannot be undone.`,
        rotateNote: 'The new secret replaces the stored one at once; tokens minted from now on use it.',
      }}
    />
  );
}
