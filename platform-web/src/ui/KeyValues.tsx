import type { ReactNode } from 'react';

/** A record's entries as “name: value” lines (a description list); `empty` stands in for a record without any. */
export function KeyValues({ values, empty = null, className }: { values: Readonly<Record<string, string>>; empty?: ReactNode; className?: string }) {
  const entries = Object.entries(values);
  if (!entries.length) return <>{empty}</>;
  return (
    <dl className={className ? `kv ${className}` : 'kv'}>
      {entries.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
