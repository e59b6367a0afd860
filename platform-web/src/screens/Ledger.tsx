import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { usage } from '../api/endpoints';
import { keys } from '../api/queryKeys';
import type { CredentialSource, InvoicePreview, LedgerEntry } from '../api/schema';
import { useOrgScreen, useTitle } from '../context';
import { formatMicros, formatNumber, saveBlob, utcMonth } from '../lib/format';
import { useCursorPages } from '../lib/paging';
import { PagedTable, Table, type Column } from '../ui/PagedTable';
import { Card, Empty, ErrorState, Loading, ScreenHeader } from '../ui/States';
import { Time } from '../ui/Time';
import { RangeFilter, type Range } from './filters';

const LEDGER_COLUMNS: Column<LedgerEntry>[] = [
  { header: 'When', rowHeader: true, cell: (e) => <Time value={e.occurred_at} full /> },
  { header: 'Provider', cell: (e) => e.provider },
  { header: 'Operation', cell: (e) => <code>{e.operation}</code> },
  { header: 'Quantity', cell: (e) => formatNumber(e.quantity), className: 'numeric' },
  { header: 'Amount', cell: (e) => formatMicros(e.amount_micros, e.currency), className: 'numeric' },
  { header: 'Source', cell: (e) => SOURCE_LABELS[e.credential_source as CredentialSource] ?? e.credential_source },
  { header: 'API key', cell: (e) => (e.api_key_id ? <code>{e.api_key_id.slice(0, 8)}</code> : '—') },
  { header: 'End user', cell: (e) => e.end_user ?? '—' },
  { header: 'Request', cell: (e) => (e.request_id ? <code title={e.request_id}>{e.request_id.slice(0, 8)}…</code> : '—') },
];

/** Whose credential served an event: the organization's own, the platform's (managed) or a key brought with the request. */
const SOURCE_LABELS: Record<CredentialSource, string> = { own: 'Own key', managed: 'Managed', byok: 'Brought key' };

export function LedgerScreen() {
  const { org } = useOrgScreen();
  useTitle(`Ledger · ${org.name}`);
  const [range, setRange] = useState<Range>({});
  const [source, setSource] = useState<CredentialSource | ''>('');
  const sourceId = useId();
  const filter = { ...range, ...(source ? { credential_source: source } : {}) };
  const list = useCursorPages(keys.ledger(org.id, filter), (cursor) => usage.ledger(org.id, filter, cursor));
  const exportCsv = useMutation({
    mutationFn: () => usage.ledgerCsv(org.id, filter),
    onSuccess: (blob) => saveBlob(blob, `ledger-${org.slug}.csv`),
  });

  return (
    <div className="view">
      <ScreenHeader
        title="Usage ledger"
        lead="Every billable event, newest first. The ledger is append-only: corrections are reversing entries."
        actions={
          <button type="button" className="button" disabled={exportCsv.isPending} onClick={() => exportCsv.mutate()}>
            {exportCsv.isPending ? 'Exporting…' : 'Export CSV'}
          </button>
        }
      />
      {exportCsv.isError ? <ErrorState error={exportCsv.error} /> : null}
      <Card id="ledger-heading" title="Entries">
        <RangeFilter range={range} onChange={setRange} label="Period" />
        <div className="filters">
          <div className="field">
            <label htmlFor={sourceId}>Credential source</label>
            <select id={sourceId} value={source} onChange={(event) => setSource(event.target.value as CredentialSource | '')}>
              <option value="">All</option>
              <option value="own">{SOURCE_LABELS.own}</option>
              <option value="managed">{SOURCE_LABELS.managed}</option>
              <option value="byok">{SOURCE_LABELS.byok}</option>
            </select>
          </div>
        </div>
        <PagedTable
          label="Ledger entries"
          query={list}
          columns={LEDGER_COLUMNS}
          rowKey={(e) => e.id}
          loadingLabel="Loading the ledger…"
          empty="No billable events in this period."
        />
      </Card>
    </div>
  );
}

export function InvoiceScreen() {
  const { org } = useOrgScreen();
  useTitle(`Invoice preview · ${org.name}`);
  const [period, setPeriod] = useState(utcMonth());
  const periodId = useId();
  const invoice = useQuery({ queryKey: keys.invoice(org.id, period), queryFn: () => usage.invoicePreview(org.id, period), enabled: /^\d{4}-\d{2}$/.test(period) });

  return (
    <div className="view">
      <ScreenHeader title="Invoice preview" lead="What this organization owes for a month, by price, from the ledger." />
      <Card id="invoice-heading" title={`Charges for ${period}`}>
        <div className="filters">
          <div className="field">
            <label htmlFor={periodId}>Month</label>
            <input id={periodId} type="month" value={period} onChange={(event) => setPeriod(event.target.value)} />
          </div>
        </div>
        {invoice.isPending && invoice.fetchStatus !== 'idle' ? <Loading label="Loading the invoice preview…" /> : null}
        {invoice.isError ? <ErrorState error={invoice.error} onRetry={() => void invoice.refetch()} /> : null}
        {invoice.data ? (
          <>
            <p className="muted">{invoice.data.period_closed ? 'This month is closed.' : 'This month is still open: the figures grow until it ends.'}</p>
            {invoice.data.lines.length ? (
              <Table
                label="Invoice lines"
                rows={invoice.data.lines}
                rowKey={(line) => `${line.provider}/${line.operation}/${line.credential_source}/${line.unit_price_micros}/${line.currency}`}
                columns={[
                  { header: 'Provider', rowHeader: true, cell: (l) => l.provider },
                  { header: 'Operation', cell: (l) => <code>{l.operation}</code> },
                  { header: 'Source', cell: (l) => SOURCE_LABELS[l.credential_source as CredentialSource] ?? l.credential_source },
                  { header: 'Quantity', cell: (l) => formatNumber(l.quantity), className: 'numeric' },
                  { header: 'Unit price', cell: (l) => formatMicros(l.unit_price_micros, l.currency), className: 'numeric' },
                  { header: 'Amount', cell: (l) => formatMicros(l.amount_micros, l.currency), className: 'numeric' },
                ]}
              />
            ) : (
              <Empty>No charges in {period}.</Empty>
            )}
            <SourceTotals invoice={invoice.data} />
            {invoice.data.totals.length ? (
              <dl className="summary-list totals">
                {invoice.data.totals.map((total) => (
                  <div key={total.currency}>
                    <dt>Total owed ({total.currency})</dt>
                    <dd>{formatMicros(total.amount_micros, total.currency)}</dd>
                  </div>
                ))}
              </dl>
            ) : null}
          </>
        ) : null}
      </Card>
    </div>
  );
}

/** The period's charges apart by credential source: own keys, the platform's managed credentials, keys brought per request. */
function SourceTotals({ invoice }: { invoice: InvoicePreview }) {
  if (!invoice.by_credential_source.length) return null;
  return (
    <section aria-label="Charges by credential source">
      <dl className="summary-list">
        {invoice.by_credential_source.map((row) => (
          <div key={`${row.credential_source}/${row.currency}`}>
            <dt>
              {SOURCE_LABELS[row.credential_source as CredentialSource] ?? row.credential_source} ({row.currency})
            </dt>
            <dd>
              {formatMicros(row.amount_micros, row.currency)} · {formatNumber(row.quantity)} {row.quantity === 1 ? 'unit' : 'units'}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
