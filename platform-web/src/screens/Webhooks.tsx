import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { webhooks } from '../api/endpoints';
import { keys } from '../api/queryKeys';
import type { CreatedWebhook, WebhookDelivery, WebhookEndpoint } from '../api/schema';
import { useOrgScreen, useTitle } from '../context';
import { capitalize } from '../lib/format';
import { useCursorPages } from '../lib/paging';
import { useConfirm } from '../ui/Dialog';
import { CheckboxGroup, Form, TextField, formString, formStrings } from '../ui/Form';
import { PagedTable, type Column } from '../ui/PagedTable';
import { SecretPanel } from '../ui/SecretPanel';
import { Card, ErrorState, ScreenHeader } from '../ui/States';
import { Time } from '../ui/Time';

const EVENT_TYPES = [{ value: 'usage.threshold_crossed', label: 'usage.threshold_crossed', description: 'The monthly allowance crossed 50, 80 or 100 %' }];

export function WebhooksScreen() {
  const { org } = useOrgScreen();
  useTitle(`Webhooks · ${org.name}`);
  const client = useQueryClient();
  const confirm = useConfirm();
  const list = useCursorPages(keys.webhooks(org.id), () => webhooks.list(org.id));
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [generation, setGeneration] = useState(0);
  const refresh = () => client.invalidateQueries({ queryKey: keys.webhooks(org.id) });
  const remove = useMutation({ mutationFn: (endpoint: WebhookEndpoint) => webhooks.remove(org.id, endpoint.id), onSuccess: refresh });

  const columns: Column<WebhookEndpoint>[] = [
    { header: 'URL', rowHeader: true, cell: (w) => <Link to={w.id}>{w.url}</Link> },
    { header: 'Description', cell: (w) => w.description ?? '—' },
    { header: 'Events', cell: (w) => w.events.join(', ') },
    { header: 'Secret', cell: (w) => <code>{w.secret_prefix}…</code> },
    { header: 'Created', cell: (w) => <Time value={w.created_at} /> },
    {
      header: 'Actions',
      className: 'actions',
      cell: (w) => (
        <button
          type="button"
          className="button button-small button-danger-outline"
          aria-label={`Delete the webhook ${w.url}`}
          onClick={async () => {
            if (await confirm({ title: 'Delete this webhook?', message: `${w.url} gets no more events.`, confirmLabel: 'Delete webhook', danger: true })) remove.mutate(w);
          }}
        >
          Delete
        </button>
      ),
    },
  ];

  return (
    <div className="view">
      <ScreenHeader title="Webhooks" lead="Endpoints that receive this organization's events, signed with HMAC-SHA-256 (Latchkey-Signature)." />
      {created ? (
        <SecretPanel
          heading="Webhook created: its signing secret"
          label={`Signing secret of ${created.url}`}
          secret={created.secret}
          details={[['URL', created.url]]}
          dismissLabel="I have stored the secret"
          onDismiss={() => setCreated(null)}
        />
      ) : null}
      <Card id="add-webhook-heading" title="Add an endpoint">
        <Form
          key={generation}
          submitLabel="Add endpoint"
          busyLabel="Adding…"
          onSubmit={async (values) => {
            const description = formString(values, 'description').trim();
            const endpoint = await webhooks.create(org.id, {
              url: formString(values, 'url').trim(),
              events: formStrings(values, 'events'),
              ...(description ? { description } : {}),
            });
            setGeneration((value) => value + 1);
            setCreated(endpoint);
            await refresh();
          }}
        >
          <TextField name="url" label="URL" type="url" required placeholder="https://example.com/latchkey-events" hint="https only; no private or loopback addresses." />
          <TextField name="description" label="Description (optional)" maxLength={200} />
          <CheckboxGroup name="events" label="Events" options={EVENT_TYPES} defaultChecked={['usage.threshold_crossed']} />
        </Form>
      </Card>
      <Card id="webhooks-heading" title="Endpoints">
        {remove.isError ? <ErrorState error={remove.error} /> : null}
        <PagedTable label="Webhook endpoints" query={list} columns={columns} rowKey={(w) => w.id} loadingLabel="Loading webhooks…" empty="No webhook endpoints yet." />
      </Card>
    </div>
  );
}

export function WebhookDeliveriesScreen() {
  const { org } = useOrgScreen();
  const { webhookId = '' } = useParams();
  useTitle(`Webhook deliveries · ${org.name}`);
  const list = useCursorPages(keys.deliveries(org.id, webhookId), (cursor) => webhooks.deliveries(org.id, webhookId, cursor));
  const columns: Column<WebhookDelivery>[] = [
    { header: 'Event', rowHeader: true, cell: (d) => <code>{d.event_type}</code> },
    { header: 'Status', cell: (d) => <span className={`badge badge-${d.status}`}>{capitalize(d.status)}</span> },
    { header: 'Attempts', cell: (d) => d.attempts, className: 'numeric' },
    { header: 'Last answer', cell: (d) => (d.last_status_code ? `HTTP ${d.last_status_code}` : d.last_error ?? '—') },
    { header: 'Created', cell: (d) => <Time value={d.created_at} full /> },
    { header: 'Delivered', cell: (d) => <Time value={d.delivered_at} full /> },
    { header: 'Next attempt', cell: (d) => <Time value={d.next_attempt_at} full /> },
  ];
  return (
    <div className="view">
      <ScreenHeader title="Delivery log" lead={<Link to={`/orgs/${org.id}/webhooks`}>Back to the webhooks</Link>} />
      <Card id="deliveries-heading" title="Deliveries">
        <PagedTable label="Webhook deliveries" query={list} columns={columns} rowKey={(d) => d.id} loadingLabel="Loading deliveries…" empty="Nothing was sent to this endpoint yet." />
      </Card>
    </div>
  );
}
