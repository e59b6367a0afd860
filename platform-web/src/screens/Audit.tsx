import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { audit, type AuditFilter } from '../api/audit';
import { keys } from '../api/queryKeys';
import type { AuditEvent } from '../api/schema';
import { useOrgScreen, useTitle } from '../context';
import { saveBlob } from '../lib/format';
import { useCursorPages } from '../lib/paging';
import { KeyValues } from '../ui/KeyValues';
import { PagedTable, type Column } from '../ui/PagedTable';
import { Card, ErrorState, ScreenHeader } from '../ui/States';
import { Time } from '../ui/Time';
import { RangeFilter } from './filters';

const COLUMNS: Column<AuditEvent>[] = [
  { header: 'When', rowHeader: true, cell: (e) => <Time value={e.occurred_at} full /> },
  { header: 'Action', cell: (e) => <code>{e.action}</code> },
  { header: 'Outcome', cell: (e) => <span className={`badge badge-${e.outcome}`}>{e.outcome}</span> },
  { header: 'Actor', cell: (e) => `${e.actor_type}${e.actor_id ? ` ${e.actor_id.slice(0, 8)}` : ''}` },
  { header: 'Target', cell: (e) => (e.target_type ? `${e.target_type} ${e.target_id?.slice(0, 12) ?? ''}` : '—') },
  { header: 'Details', cell: (e) => <KeyValues values={e.details} empty="—" /> },
  { header: 'IP', cell: (e) => e.ip ?? '—' },
  // An event not linked into the hash chain yet has no position in it: it shows as pending.
  { header: '#', cell: (e) => (e.linked ? e.seq : <span className="muted">pending</span>), className: 'numeric' },
];

const ORG_COLUMN: Column<AuditEvent> = { header: 'Organization', cell: (e) => (e.org_id ? <code>{e.org_id.slice(0, 8)}</code> : '—') };

/** The audit log with its filters, pages and CSV export: an organization's, or (orgId null) every organization's. */
export function AuditLog({ orgId, initialFilter = {}, fileName }: { orgId: string | null; initialFilter?: AuditFilter; fileName: string }) {
  const [filter, setFilter] = useState<AuditFilter>(initialFilter);
  const list = useCursorPages(keys.audit(orgId, filter), (cursor) => audit.events(orgId, filter, cursor));
  const exportCsv = useMutation({ mutationFn: () => audit.csv(orgId, filter), onSuccess: (blob) => saveBlob(blob, fileName) });
  return (
    <Card
      id="audit-heading"
      title="Events"
      actions={
        <button type="button" className="button" disabled={exportCsv.isPending} onClick={() => exportCsv.mutate()}>
          {exportCsv.isPending ? 'Exporting…' : 'Export CSV'}
        </button>
      }
    >
      {exportCsv.isError ? <ErrorState error={exportCsv.error} /> : null}
      <AuditFilters filter={filter} onChange={setFilter} crossOrg={orgId === null} />
      <PagedTable
        label="Audit events"
        query={list}
        columns={orgId === null ? [...COLUMNS.slice(0, 2), ORG_COLUMN, ...COLUMNS.slice(2)] : COLUMNS}
        rowKey={(e) => e.id}
        loadingLabel="Loading audit events…"
        empty="No events match these filters."
      />
    </Card>
  );
}

function AuditFilters({ filter, onChange, crossOrg }: { filter: AuditFilter; onChange(filter: AuditFilter): void; crossOrg: boolean }) {
  const ids = { action: useId(), actor: useId(), outcome: useId(), target: useId(), org: useId() };
  // Text filters apply when submitted, so that each keystroke does not load a page.
  const [draft, setDraft] = useState(filter);
  const set = (name: keyof AuditFilter, value: string) => {
    const next = { ...draft };
    if (value) next[name] = value;
    else delete next[name];
    setDraft(next);
    return next;
  };
  return (
    <form
      className="filters"
      role="search"
      aria-label="Filter audit events"
      onSubmit={(event) => {
        event.preventDefault();
        onChange(draft);
      }}
    >
      <div className="field">
        <label htmlFor={ids.action}>Action</label>
        <input id={ids.action} value={draft.action ?? ''} placeholder="api_key.*" onChange={(e) => set('action', e.target.value.trim())} />
      </div>
      <div className="field">
        <label htmlFor={ids.actor}>Actor id</label>
        <input id={ids.actor} value={draft.actor ?? ''} onChange={(e) => set('actor', e.target.value.trim())} />
      </div>
      <div className="field">
        <label htmlFor={ids.outcome}>Outcome</label>
        <select id={ids.outcome} value={draft.outcome ?? ''} onChange={(e) => onChange(set('outcome', e.target.value))}>
          <option value="">Any</option>
          <option value="success">Success</option>
          <option value="failure">Failure</option>
          <option value="denied">Denied</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.target}>Target type</label>
        <input id={ids.target} value={draft.target_type ?? ''} placeholder="api_key" onChange={(e) => set('target_type', e.target.value.trim())} />
      </div>
      {crossOrg ? (
        <div className="field">
          <label htmlFor={ids.org}>Organization id</label>
          <input id={ids.org} value={draft.org_id ?? ''} onChange={(e) => set('org_id', e.target.value.trim())} />
        </div>
      ) : null}
      <RangeFilter
        label="When"
        range={{ ...(draft.from ? { from: draft.from } : {}), ...(draft.to ? { to: draft.to } : {}) }}
        onChange={(range) => {
          const next: AuditFilter = { ...draft };
          delete next.from;
          delete next.to;
          Object.assign(next, range);
          setDraft(next);
          onChange(next);
        }}
      />
      <div className="form-actions">
        <button type="submit" className="button">
          Apply filters
        </button>
      </div>
    </form>
  );
}

export function AuditScreen() {
  const { org } = useOrgScreen();
  useTitle(`Audit log · ${org.name}`);
  return (
    <div className="view">
      <ScreenHeader title="Audit log" lead="Security-relevant actions in this organization, hash-chained so that tampering shows." />
      <AuditLog orgId={org.id} fileName={`audit-${org.slug}.csv`} />
    </div>
  );
}
