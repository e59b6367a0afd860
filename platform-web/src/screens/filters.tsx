import { useId } from 'react';
import { dateInputToRfc3339 } from '../lib/format';

export interface Range {
  from?: string;
  to?: string;
}

/** From and to dates (UTC days; `to` exclusive) for reports and lists; empty means the server's default. */
export function RangeFilter({ range, onChange, label }: { range: Range; onChange(range: Range): void; label: string }) {
  const fromId = useId();
  const toId = useId();
  const update = (name: 'from' | 'to', value: string) => {
    const next: Range = { ...range };
    const rfc = dateInputToRfc3339(value);
    if (rfc) next[name] = rfc;
    else delete next[name];
    onChange(next);
  };
  return (
    <fieldset className="filters">
      <legend>{label}</legend>
      <div className="field">
        <label htmlFor={fromId}>From</label>
        <input id={fromId} type="date" value={range.from?.slice(0, 10) ?? ''} onChange={(event) => update('from', event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={toId}>To (exclusive)</label>
        <input id={toId} type="date" value={range.to?.slice(0, 10) ?? ''} onChange={(event) => update('to', event.target.value)} />
      </div>
    </fieldset>
  );
}
