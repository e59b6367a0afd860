import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { allowedOrigins } from '../api/endpoints';
import { keys } from '../api/queryKeys';
import { useOrgScreen, useTitle } from '../context';
import { can } from '../lib/permissions';
import { Form, TextArea, formString } from '../ui/Form';
import { Card, Empty, ErrorState, Loading, ScreenHeader } from '../ui/States';

export function OriginsScreen() {
  const { org } = useOrgScreen();
  useTitle(`Allowed origins · ${org.name}`);
  const client = useQueryClient();
  const manage = can(org.role, 'org:manage');
  const origins = useQuery({ queryKey: keys.origins(org.id), queryFn: () => allowedOrigins.get(org.id) });
  const [saved, setSaved] = useState('');

  return (
    <div className="view">
      <ScreenHeader
        title="Allowed origins"
        lead="Browser origins that may call the broker and session endpoints directly (CORS). Each is scheme, host and optional port: no path, no wildcard."
      />
      <Card id="origins-heading" title="Origins">
        {origins.isPending ? <Loading label="Loading origins…" /> : null}
        {origins.isError ? <ErrorState error={origins.error} onRetry={() => void origins.refetch()} /> : null}
        {origins.data ? (
          manage ? (
            <Form
              key={origins.data.allowed_origins.join(' ')}
              submitLabel="Save origins"
              busyLabel="Saving…"
              onSubmit={async (values) => {
                const list = formString(values, 'allowed_origins')
                  .split(/\s+/)
                  .map((origin) => origin.trim())
                  .filter(Boolean);
                const stored = await allowedOrigins.put(org.id, list);
                client.setQueryData(keys.origins(org.id), stored);
                setSaved(`${stored.allowed_origins.length} origin(s) saved.`);
              }}
            >
              <TextArea
                name="allowed_origins"
                label="Origins, one per line"
                defaultValue={origins.data.allowed_origins.join('\n')}
                hint="e.g. https://app.example.com. Empty: no browser may call the broker directly."
              />
            </Form>
          ) : origins.data.allowed_origins.length ? (
            <ul>
              {origins.data.allowed_origins.map((origin) => (
                <li key={origin}>
                  <code>{origin}</code>
                </li>
              ))}
            </ul>
          ) : (
            <Empty>No origins are allowed.</Empty>
          )
        ) : null}
        <p role="status" className="muted">
          {saved}
        </p>
      </Card>
    </div>
  );
}
