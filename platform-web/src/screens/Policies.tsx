import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { policies } from '../api/endpoints';
import { ApiError } from '../api/problem';
import { keys } from '../api/queryKeys';
import type { ProviderDescription, SessionPolicy } from '../api/schema';
import { useOrgScreen, useTitle } from '../context';
import { policyFormValues, policyFromForm } from '../forms/policyForm';
import { can } from '../lib/permissions';
import { CheckboxField, Form, TextArea, TextField, formString } from '../ui/Form';
import { Card, ErrorState, Loading, ScreenHeader } from '../ui/States';
import { useProviders } from './credentials/useProviders';

export function PoliciesScreen() {
  const { org } = useOrgScreen();
  useTitle(`Session policies · ${org.name}`);
  const providerList = useProviders();
  const [providerId, setProviderId] = useState<string | null>(null);
  const provider = providerList.data?.find((p) => p.id === providerId) ?? providerList.data?.[0];

  return (
    <div className="view">
      <ScreenHeader
        title="Session policies"
        lead="Per provider: what a client may ask for when it mints a token. Pinned fields are fixed; a client can only set the allowed overrides, and TTLs are clamped."
      />
      {providerList.isPending ? <Loading label="Loading providers…" /> : null}
      {providerList.isError ? <ErrorState error={providerList.error} onRetry={() => void providerList.refetch()} /> : null}
      {providerList.data && provider ? (
        <>
          <nav className="pill-tabs" aria-label="Providers">
            <ul>
              {providerList.data.map((p) => (
                <li key={p.id}>
                  <button type="button" className="pill" aria-pressed={p.id === provider.id} onClick={() => setProviderId(p.id)}>
                    {p.name}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          <PolicyCard key={provider.id} provider={provider} />
        </>
      ) : null}
    </div>
  );
}

function PolicyCard({ provider }: { provider: ProviderDescription }) {
  const { org } = useOrgScreen();
  const client = useQueryClient();
  const manage = can(org.role, 'policies:manage');
  const policy = useQuery({ queryKey: keys.policy(org.id, provider.id), queryFn: () => policies.get(org.id, provider.id) });
  const [saved, setSaved] = useState('');

  return (
    <Card id="policy-heading" title={`${provider.name} policy`}>
      {policy.isPending ? <Loading label="Loading the policy…" /> : null}
      {policy.isError ? <ErrorState error={policy.error} onRetry={() => void policy.refetch()} /> : null}
      {policy.data ? (
        manage ? (
          <PolicyForm
            key={JSON.stringify(policy.data)}
            policy={policy.data}
            onSubmit={async (next) => {
              const stored = await policies.put(org.id, provider.id, next);
              client.setQueryData(keys.policy(org.id, provider.id), stored);
              setSaved(`The ${provider.name} policy was saved.`);
            }}
          />
        ) : (
          <PolicySummary policy={policy.data} />
        )
      ) : null}
      <p role="status" className="muted">
        {saved}
      </p>
    </Card>
  );
}

function PolicyForm({ policy, onSubmit }: { policy: SessionPolicy; onSubmit(policy: SessionPolicy): Promise<void> }) {
  const initial = policyFormValues(policy);
  return (
    <Form
      submitLabel="Save policy"
      busyLabel="Saving…"
      onSubmit={async (values) => {
        const result = policyFromForm({
          pinned: formString(values, 'pinned'),
          allowed_overrides: formString(values, 'allowed_overrides'),
          default_ttl_seconds: formString(values, 'default_ttl_seconds'),
          max_ttl_seconds: formString(values, 'max_ttl_seconds'),
          max_session_seconds: formString(values, 'max_session_seconds'),
          allow_byok: values.get('allow_byok') === 'true',
        });
        if (!result.ok) throw new ApiError(result.problem);
        await onSubmit(result.policy);
      }}
    >
      <TextArea name="pinned" label="Pinned session fields (JSON object)" defaultValue={initial.pinned} hint='Fixed for every token, e.g. {"model": "gpt-realtime", "voice": "marin"}. Empty: none.' />
      <TextArea
        name="allowed_overrides"
        label="Allowed client overrides"
        rows={3}
        defaultValue={initial.allowed_overrides}
        hint="Dotted paths a client may set, one per line; * allows every field."
      />
      <div className="field-row">
        <TextField name="default_ttl_seconds" label="Default TTL (s)" type="number" min={1} defaultValue={initial.default_ttl_seconds} />
        <TextField name="max_ttl_seconds" label="Maximum TTL (s)" type="number" min={1} defaultValue={initial.max_ttl_seconds} />
        <TextField name="max_session_seconds" label="Session cap (s)" type="number" min={1} defaultValue={initial.max_session_seconds} hint="Ends proxied calls after this long." />
      </div>
      <CheckboxField name="allow_byok" label="Let callers bring their own provider key (X-Provider-Auth)" defaultChecked={initial.allow_byok} />
    </Form>
  );
}

function PolicySummary({ policy }: { policy: SessionPolicy }) {
  const show = (value: number | null) => (value === null ? 'Provider default' : `${value} s`);
  return (
    <dl className="summary-list">
      <div>
        <dt>Pinned fields</dt>
        <dd>{policy.pinned && Object.keys(policy.pinned).length ? <code>{JSON.stringify(policy.pinned)}</code> : 'None'}</dd>
      </div>
      <div>
        <dt>Allowed overrides</dt>
        <dd>{policy.allowed_overrides.length ? policy.allowed_overrides.join(', ') : 'Provider default'}</dd>
      </div>
      <div>
        <dt>Default TTL</dt>
        <dd>{show(policy.default_ttl_seconds)}</dd>
      </div>
      <div>
        <dt>Maximum TTL</dt>
        <dd>{show(policy.max_ttl_seconds)}</dd>
      </div>
      <div>
        <dt>Session cap</dt>
        <dd>{policy.max_session_seconds === null ? 'None' : `${policy.max_session_seconds} s`}</dd>
      </div>
      <div>
        <dt>Bring your own key</dt>
        <dd>{policy.allow_byok ? 'Allowed' : 'Not allowed'}</dd>
      </div>
    </dl>
  );
}
