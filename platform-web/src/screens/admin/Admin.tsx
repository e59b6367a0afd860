import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link, Navigate, Outlet, useSearchParams } from 'react-router';
import { audit } from '../../api/audit';
import { admin, type AdminOrgQuery, type UsageQuery } from '../../api/endpoints';
import { keys } from '../../api/queryKeys';
import type { AdminOrganization, Quota } from '../../api/schema';
import { quotaChange } from '../../forms/quotaForm';
import { useSignedIn, useTitle } from '../../context';
import { capitalize, formatMicros, formatNumber } from '../../lib/format';
import { useCursorPages } from '../../lib/paging';
import { DismissButton, Modal, useConfirm } from '../../ui/Dialog';
import { Form, SelectField, TextField, formString } from '../../ui/Form';
import { PagedTable, Table, type Column } from '../../ui/PagedTable';
import { Card, Empty, ErrorState, Loading, ScreenHeader } from '../../ui/States';
import { Time } from '../../ui/Time';
import { AuditLog } from '../Audit';
import type { Range } from '../filters';
import { AllowanceMeter, UsageCharts } from '../Usage';
import { ManagedAccessDialog } from './ManagedCredentials';

/** Everything under /admin is for platform admins; the API answers 404 to anyone else anyway. */
export function AdminArea() {
  const session = useSignedIn();
  if (!session.user.platform_admin) return <Navigate to="/" replace />;
  return <Outlet />;
}

export function AdminOrganizationsScreen() {
  useTitle('Organizations · Platform admin');
  const [search, setSearch] = useState<AdminOrgQuery>({});
  const [draft, setDraft] = useState('');
  const [suspending, setSuspending] = useState<AdminOrganization | null>(null);
  const [quotaOf, setQuotaOf] = useState<AdminOrganization | null>(null);
  const [managedOf, setManagedOf] = useState<AdminOrganization | null>(null);
  const client = useQueryClient();
  const confirm = useConfirm();
  const list = useCursorPages(keys.adminOrgs(search), (cursor) => admin.organizations(search, cursor));
  const ids = { q: useId(), status: useId() };
  const refresh = () => client.invalidateQueries({ queryKey: keys.adminOrgs() });
  const resume = useMutation({ mutationFn: (org: AdminOrganization) => admin.resume(org.id), onSuccess: refresh });

  const columns: Column<AdminOrganization>[] = [
    {
      header: 'Organization',
      rowHeader: true,
      cell: (o) => (
        <>
          <span className="member-name">{o.name}</span>
          <span className="member-email">
            {o.slug} · <code>{o.id}</code>
          </span>
        </>
      ),
    },
    { header: 'Plan', cell: (o) => o.plan },
    {
      header: 'Status',
      cell: (o) => (
        <>
          <span className={`badge badge-${o.status}`}>{capitalize(o.status)}</span>
          {o.suspension_reason ? <span className="cell-note">{o.suspension_reason}</span> : null}
        </>
      ),
    },
    { header: 'Members', cell: (o) => o.member_count, className: 'numeric' },
    { header: 'Keys', cell: (o) => o.api_key_count, className: 'numeric' },
    { header: 'Created', cell: (o) => <Time value={o.created_at} /> },
    {
      header: 'Actions',
      className: 'actions cell-wrap',
      cell: (o) => (
        <>
          <Link className="button button-small" to={`/admin/audit?org_id=${o.id}`} aria-label={`Audit log of ${o.name}`}>
            Audit
          </Link>
          <Link className="button button-small" to={`/admin/usage?org=${o.id}`} aria-label={`Usage of ${o.name}`}>
            Usage
          </Link>
          <button type="button" className="button button-small" aria-label={`Quota of ${o.name}`} onClick={() => setQuotaOf(o)}>
            Quota
          </button>
          <button type="button" className="button button-small" aria-label={`Managed access of ${o.name}`} onClick={() => setManagedOf(o)}>
            Managed
          </button>
          {o.status === 'suspended' ? (
            <button
              type="button"
              className="button button-small"
              aria-label={`Resume ${o.name}`}
              onClick={async () => {
                if (await confirm({ title: `Resume ${o.name}?`, message: 'Its keys work again within a second.', confirmLabel: 'Resume' })) resume.mutate(o);
              }}
            >
              Resume
            </button>
          ) : (
            <button type="button" className="button button-small button-danger-outline" aria-label={`Suspend ${o.name}`} onClick={() => setSuspending(o)}>
              Suspend
            </button>
          )}
        </>
      ),
    },
  ];

  return (
    <div className="view">
      <ScreenHeader title="Organizations" lead="Every tenant of the platform, newest first." />
      <Card id="admin-orgs-heading" title="Find organizations">
        <form
          className="filters"
          role="search"
          aria-label="Find organizations"
          onSubmit={(event) => {
            event.preventDefault();
            setSearch((current) => ({ ...current, q: draft.trim() }));
          }}
        >
          <div className="field field-grow">
            <label htmlFor={ids.q}>Name, slug, id or a member's email</label>
            <input id={ids.q} type="search" value={draft} onChange={(event) => setDraft(event.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.status}>Status</label>
            <select
              id={ids.status}
              value={search.status ?? ''}
              onChange={(event) => setSearch((current) => ({ ...current, status: event.target.value as NonNullable<AdminOrgQuery['status']> }))}
            >
              <option value="">Any</option>
              <option value="active">Active</option>
              <option value="suspended">Suspended</option>
            </select>
          </div>
          <div className="form-actions">
            <button type="submit" className="button button-primary">
              Search
            </button>
          </div>
        </form>
        {resume.isError ? <ErrorState error={resume.error} /> : null}
        <PagedTable label="Organizations" query={list} columns={columns} rowKey={(o) => o.id} loadingLabel="Loading organizations…" empty="No organization matches." />
      </Card>
      {suspending ? (
        <Modal title={`Suspend ${suspending.name}?`} onClose={() => setSuspending(null)}>
          <p>Every API key of the organization is refused within a second; its members can still sign in and read.</p>
          <Form
            danger
            submitLabel="Suspend organization"
            busyLabel="Suspending…"
            actions={
              <button type="button" className="button" onClick={() => setSuspending(null)}>
                Cancel
              </button>
            }
            onSubmit={async (values) => {
              await admin.suspend(suspending.id, formString(values, 'reason').trim());
              setSuspending(null);
              await refresh();
            }}
          >
            <TextField name="reason" label="Reason (optional)" maxLength={500} hint="Recorded in the organization's audit log." />
          </Form>
        </Modal>
      ) : null}
      {quotaOf ? <QuotaDialog org={quotaOf} onClose={() => setQuotaOf(null)} /> : null}
      {managedOf ? <ManagedAccessDialog org={managedOf} onClose={() => setManagedOf(null)} /> : null}
    </div>
  );
}

function QuotaDialog({ org, onClose }: { org: AdminOrganization; onClose(): void }) {
  const [result, setResult] = useState<Quota | null>(null);
  return (
    <Modal title={`Quota of ${org.name}`} onClose={onClose}>
      <p>Overrides replace the plan's values; a field left empty uses the plan's.</p>
      <Form
        submitLabel="Save quota"
        busyLabel="Saving…"
        actions={<DismissButton label="Close" onClick={onClose} />}
        onSubmit={async (values) => {
          const change = quotaChange({
            plan: formString(values, 'plan'),
            limit: formString(values, 'rate.limit'),
            window_seconds: formString(values, 'rate.window_seconds'),
            burst: formString(values, 'rate.burst'),
            allowance: formString(values, 'monthly.allowance'),
          });
          setResult(await admin.setQuota(org.id, change));
        }}
      >
        <SelectField
          name="plan"
          label="Plan"
          defaultValue={org.plan}
          options={[
            { value: 'free', label: 'Free' },
            { value: 'pro', label: 'Pro' },
            { value: 'enterprise', label: 'Enterprise' },
            { value: 'managed', label: 'Managed (every provider through the platform’s credentials)' },
          ]}
        />
        <div className="field-row">
          <TextField name="rate.limit" label="Rate: requests" type="number" min={0} />
          <TextField name="rate.window_seconds" label="per seconds" type="number" min={1} />
          <TextField name="rate.burst" label="Burst" type="number" min={0} />
        </div>
        <TextField name="monthly.allowance" label="Monthly allowance (events)" type="number" min={0} />
      </Form>
      {result ? (
        <div role="status">
          <p className="alert alert-info">Saved.</p>
          <AllowanceMeter quota={result} />
        </div>
      ) : null}
    </Modal>
  );
}

export function AdminUsageScreen() {
  useTitle('Usage · Platform admin');
  const [range, setRange] = useState<Range>({});
  const [params] = useSearchParams();
  const highlighted = params.get('org');
  const byOrgQuery: UsageQuery = { ...range, group_by: 'org' };
  const byOrg = useQuery({ queryKey: keys.adminUsage(byOrgQuery), queryFn: () => admin.usage(byOrgQuery) });
  return (
    <div className="view">
      <ScreenHeader title="Platform usage" lead="Billable events of every organization." />
      <UsageCharts title="All organizations" range={range} onRange={setRange} fetch={(q) => admin.usage(q)} queryKey={(q) => keys.adminUsage(q)} />
      <Card id="usage-by-org-heading" title="By organization">
        {byOrg.isPending ? <Loading label="Loading usage by organization…" /> : null}
        {byOrg.isError ? <ErrorState error={byOrg.error} onRetry={() => void byOrg.refetch()} /> : null}
        {byOrg.data ? (
          byOrg.data.items.length ? (
            <Table
              label="Usage by organization"
              rows={byOrg.data.items}
              rowKey={(row) => `${row.key}/${row.currency}`}
              rowClassName={(row) => (row.key === highlighted ? 'row-highlight' : undefined)}
              columns={[
                { header: 'Organization', rowHeader: true, cell: (row) => <Link to={`/admin/audit?org_id=${row.key}`}><code>{row.key}</code></Link> },
                { header: 'Events', cell: (row) => formatNumber(row.events), className: 'numeric' },
                { header: 'Quantity', cell: (row) => formatNumber(row.quantity), className: 'numeric' },
                { header: 'Amount', cell: (row) => formatMicros(row.amount_micros, row.currency), className: 'numeric' },
              ]}
            />
          ) : (
            <Empty>No billable events in this period.</Empty>
          )
        ) : null}
      </Card>
    </div>
  );
}

export function AdminAuditScreen() {
  useTitle('Audit log · Platform admin');
  const [params] = useSearchParams();
  const orgId = params.get('org_id');
  const verify = useMutation({ mutationFn: () => audit.verifyChain() });
  return (
    <div className="view">
      <ScreenHeader
        title="Audit log, every organization"
        lead="Reading it is itself recorded in the audit log."
        actions={
          <button type="button" className="button" disabled={verify.isPending} onClick={() => verify.mutate()}>
            {verify.isPending ? 'Verifying…' : 'Verify the chain'}
          </button>
        }
      />
      <div role="status">
        {verify.data ? (
          verify.data.intact ? (
            <p className="alert alert-success">
              The chain is intact: {formatNumber(verify.data.rows_checked)} rows checked{verify.data.last_seq !== null ? `, up to #${verify.data.last_seq}` : ''}
              , {formatNumber(verify.data.checkpoints_checked)} signed checkpoints matched
              {verify.data.pending_rows > 0 ? `; ${formatNumber(verify.data.pending_rows)} events waiting to be linked` : ''}.
            </p>
          ) : (
            <p className="alert alert-error">
              The chain is broken at #{verify.data.first_broken_seq ?? '?'} ({verify.data.first_broken_id ?? 'unknown row'}): {verify.data.reason ?? 'no reason given'}.
            </p>
          )
        ) : null}
      </div>
      {verify.isError ? <ErrorState error={verify.error} /> : null}
      <AuditLog key={orgId ?? ''} orgId={null} initialFilter={orgId ? { org_id: orgId } : {}} fileName="audit-all.csv" />
    </div>
  );
}

export function AdminKeysScreen() {
  useTitle('Master key · Platform admin');
  const confirm = useConfirm();
  const rotate = useMutation({ mutationFn: () => admin.rotateMasterKey() });
  return (
    <div className="view">
      <ScreenHeader title="Master key" lead="The key-encryption key that wraps every organization's data key." />
      <Card id="rotate-heading" title="Rotate the master key">
        <p>A new key version wraps every data key again. Credentials are not touched and keep working throughout.</p>
        <button
          type="button"
          className="button button-danger"
          disabled={rotate.isPending}
          onClick={async () => {
            if (await confirm({ title: 'Rotate the master key?', message: 'Every data key is re-wrapped under a new key version.', confirmLabel: 'Rotate now', danger: true })) rotate.mutate();
          }}
        >
          {rotate.isPending ? 'Rotating…' : 'Rotate master key'}
        </button>
        <div role="status">
          {rotate.data ? (
            <p className="alert alert-success">
              Rotated: {formatNumber(rotate.data.rewrapped)} data keys re-wrapped under version <code>{rotate.data.version}</code> ({rotate.data.backend}).
            </p>
          ) : null}
        </div>
        {rotate.isError ? <ErrorState error={rotate.error} /> : null}
      </Card>
    </div>
  );
}
