import { formatDate, formatDateTime } from '../format';
import { h } from './dom';

/** A compact, machine-readable timestamp cell: the date shown, the exact time on hover. */
export function timeCell(iso: string | null | undefined, empty = '—'): HTMLElement | string {
  if (!iso) return empty;
  return h('time', { datetime: iso, title: formatDateTime(iso) }, formatDate(iso));
}
