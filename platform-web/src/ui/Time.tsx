import { formatDate, formatDateTime } from '../lib/format';

/** A date in a table: short, with the full timestamp for those who need it. */
export function Time({ value, empty = '—', full = false }: { value: string | null | undefined; empty?: string; full?: boolean }) {
  if (!value) return <>{empty}</>;
  return (
    <time dateTime={value} title={formatDateTime(value)}>
      {full ? formatDateTime(value) : formatDate(value)}
    </time>
  );
}
