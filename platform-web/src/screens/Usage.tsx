import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { usage, type UsageQuery } from '../api/endpoints';
import { keys } from '../api/queryKeys';
import type { Quota, Usage } from '../api/schema';
import { useOrgScreen, useTitle } from '../context';
import { formatMicros, formatNumber } from '../lib/format';
import { allowanceShare, dailyBars, keyedBars, spendBySource } from '../lib/usage';
import { BarChart } from '../ui/BarChart';
import { Table } from '../ui/PagedTable';
import { Card, Empty, ErrorState, Loading, ScreenHeader } from '../ui/States';
import { Time } from '../ui/Time';
import { RangeFilter, type Range } from './filters';

export function UsageScreen() {
  const { org } = useOrgScreen();
  useTitle(`Usage · ${org.name}`);
  const [range, setRange] = useState<Range>({});
  const quota = useQuery({ queryKey: keys.quota(org.id), queryFn: () => usage.quota(org.id) });
  const alerts = useQuery({ queryKey: keys.alerts(org.id), queryFn: () => usage.alerts(org.id) });

  return (
    <div className="view">
      <ScreenHeader title="Usage" lead="Billable events of this organization: tokens minted, rooms created and calls proxied." />
      <Card id="allowance-heading" title="Monthly allowance">
        {quota.isPending ? <Loading label="Loading the allowance…" /> : null}
        {quota.isError ? <ErrorState error={quota.error} onRetry={() => void quota.refetch()} /> : null}
        {quota.data ? <AllowanceMeter quota={quota.data} /> : null}
      </Card>
      <UsageCharts
        title="Billable events"
        range={range}
        onRange={setRange}
        fetch={(q) => usage.aggregate(org.id, q)}
        queryKey={(q) => keys.usage(org.id, q)}
      />
      <SpendBySource orgId={org.id} range={range} />
      <Card id="alerts-heading" title="Usage alerts">
        {alerts.isPending ? <Loading label="Loading alerts…" /> : null}
        {alerts.isError ? <ErrorState error={alerts.error} onRetry={() => void alerts.refetch()} /> : null}
        {alerts.data ? (
          alerts.data.items.length ? (
            <Table
              label="Usage alerts"
              rows={alerts.data.items}
              rowKey={(alert) => alert.id}
              columns={[
                { header: 'Threshold', rowHeader: true, cell: (a) => `${a.threshold_percent} %` },
                { header: 'Period', cell: (a) => a.period },
                { header: 'Used', cell: (a) => `${formatNumber(a.used)} of ${formatNumber(a.allowance)}` },
                { header: 'When', cell: (a) => <Time value={a.occurred_at} full /> },
              ]}
            />
          ) : (
            <Empty>No alerts: this organization has not crossed 50 % of an allowance yet.</Empty>
          )
        ) : null}
      </Card>
    </div>
  );
}

/**
 * What the period cost, the organization's own keys apart from the platform's managed credentials
 * (billed at the managed price, which includes the provider's cost), and which providers it may
 * broker through managed credentials.
 */
function SpendBySource({ orgId, range }: { orgId: string; range: Range }) {
  const bySourceQuery: UsageQuery = { ...range, group_by: 'credential_source' };
  const bySource = useQuery({ queryKey: keys.usage(orgId, bySourceQuery), queryFn: () => usage.aggregate(orgId, bySourceQuery) });
  const access = useQuery({ queryKey: keys.managedAccess(orgId), queryFn: () => usage.managedAccess(orgId) });
  const spend = bySource.data ? spendBySource(bySource.data.items) : [];
  return (
    <Card id="spend-heading" title="Spend: own keys and managed">
      {bySource.isPending ? <Loading label="Loading spend…" /> : null}
      {bySource.isError ? <ErrorState error={bySource.error} onRetry={() => void bySource.refetch()} /> : null}
      {bySource.data ? (
        spend.length ? (
          <Table
            label="Spend by credential source"
            rows={spend}
            rowKey={(row) => row.currency}
            columns={[
              { header: 'Currency', rowHeader: true, cell: (row) => row.currency },
              { header: 'Own keys', cell: (row) => formatMicros(row.own, row.currency), className: 'numeric' },
              { header: 'Managed', cell: (row) => formatMicros(row.managed, row.currency), className: 'numeric' },
              { header: 'Keys brought per request', cell: (row) => formatMicros(row.byok, row.currency), className: 'numeric' },
              { header: 'Total', cell: (row) => formatMicros(row.total, row.currency), className: 'numeric' },
            ]}
          />
        ) : (
          <Empty>Nothing was billed in this period.</Empty>
        )
      ) : null}
      {access.data ? (
        <p className="muted">
          {access.data.effective_providers.length
            ? `Managed by Latchkey: ${access.data.effective_providers.join(', ')}. Without a credential of your own for these, requests go through Latchkey's and are billed at the managed price.`
            : 'Managed access is off: every request needs a credential of your own.'}
        </p>
      ) : null}
    </Card>
  );
}

export function AllowanceMeter({ quota }: { quota: Quota }) {
  const share = allowanceShare(quota.monthly.used, quota.monthly.allowance);
  return (
    <div className="allowance">
      <p>
        <strong>{formatNumber(quota.monthly.used)}</strong> of {formatNumber(quota.monthly.allowance)} billable events used in {quota.monthly.period} (plan{' '}
        <code>{quota.plan}</code>). Resets <Time value={quota.monthly.resets_at} full />.
      </p>
      {share !== null ? (
        <meter
          className="allowance-meter"
          aria-label="Monthly allowance used"
          min={0}
          max={quota.monthly.allowance}
          low={quota.monthly.allowance * 0.5}
          high={quota.monthly.allowance * 0.8}
          optimum={0}
          value={Math.min(quota.monthly.used, quota.monthly.allowance)}
        >
          {Math.round(share * 100)} %
        </meter>
      ) : null}
      <p className="muted">
        Rate limit: {formatNumber(quota.rate.limit)} requests per {quota.rate.window_seconds} s (burst {formatNumber(quota.rate.burst)}).
      </p>
    </div>
  );
}

/** Usage by day and by provider for a range, as charts with their figures; shared by the org and admin screens. */
export function UsageCharts({
  title,
  range,
  onRange,
  fetch,
  queryKey,
}: {
  title: string;
  range: Range;
  onRange(range: Range): void;
  fetch(q: UsageQuery): Promise<Usage>;
  queryKey(q: UsageQuery): readonly unknown[];
}) {
  const byDayQuery: UsageQuery = { ...range, group_by: 'day' };
  const byProviderQuery: UsageQuery = { ...range, group_by: 'provider' };
  const byDay = useQuery({ queryKey: queryKey(byDayQuery), queryFn: () => fetch(byDayQuery) });
  const byProvider = useQuery({ queryKey: queryKey(byProviderQuery), queryFn: () => fetch(byProviderQuery) });
  return (
    <Card id="usage-charts-heading" title={title}>
      <RangeFilter range={range} onChange={onRange} label="Usage period" />
      {byDay.isPending || byProvider.isPending ? <Loading label="Loading usage…" /> : null}
      {byDay.isError ? <ErrorState error={byDay.error} onRetry={() => void byDay.refetch()} /> : null}
      {byProvider.isError ? <ErrorState error={byProvider.error} onRetry={() => void byProvider.refetch()} /> : null}
      {byDay.data && byProvider.data ? (
        <>
          <p className="muted">
            From <Time value={byDay.data.from} full /> to <Time value={byDay.data.to} full />:{' '}
            {byDay.data.totals.length
              ? byDay.data.totals.map((t) => `${formatNumber(t.events)} ${t.events === 1 ? 'event' : 'events'}, ${formatMicros(t.amount_micros, t.currency)}`).join('; ')
              : 'no billable events'}
            .
          </p>
          <div className="charts">
            <BarChart title="Events by day" valueLabel="Events" bars={dailyBars(byDay.data.items, byDay.data.from, byDay.data.to)} />
            {byProvider.data.items.length ? (
              <BarChart title="Events by provider" valueLabel="Events" bars={keyedBars(byProvider.data.items)} />
            ) : (
              <Empty>No events by provider in this period.</Empty>
            )}
          </div>
        </>
      ) : null}
    </Card>
  );
}
