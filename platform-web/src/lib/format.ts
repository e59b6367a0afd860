import type { ApiKey } from '../api/schema';

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDateTime(iso: string | null | undefined, empty = '—'): string {
  return formatWith(dateTimeFormat, iso, empty);
}

/** Date only, for dense tables; the full timestamp goes in a tooltip. */
export function formatDate(iso: string | null | undefined, empty = '—'): string {
  return formatWith(dateFormat, iso, empty);
}

function formatWith(format: Intl.DateTimeFormat, iso: string | null | undefined, empty: string): string {
  if (!iso) return empty;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : format.format(date);
}

/**
 * Turns the value of an <input type="datetime-local"> (local wall time, no zone) into RFC 3339 UTC.
 * Returns undefined for an empty input and null for one the browser could not parse.
 */
export function localInputToRfc3339(value: string): string | undefined | null {
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  const date = new Date(trimmed);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export type ApiKeyStatus = 'active' | 'retiring' | 'revoked' | 'expired';

/** A revocation in the future is a rotated key still inside its grace period. */
export function apiKeyStatus(key: Pick<ApiKey, 'revoked_at' | 'expires_at'>, now: Date = new Date()): ApiKeyStatus {
  if (key.revoked_at) {
    return new Date(key.revoked_at).getTime() > now.getTime() ? 'retiring' : 'revoked';
  }
  if (key.expires_at && new Date(key.expires_at).getTime() <= now.getTime()) return 'expired';
  return 'active';
}

export function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

/** Integer micro-units of a currency as money: 1_500_000 USD micros → "$1.50" (more digits when a price is tiny). */
export function formatMicros(micros: number, currency: string): string {
  const amount = micros / 1_000_000;
  const digits = micros !== 0 && Math.abs(micros) < 10_000 ? 6 : 2;
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: digits }).format(amount);
  } catch {
    return `${amount.toFixed(digits)} ${currency}`;
  }
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat().format(value);
}

/** `YYYY-MM` of a date in UTC: billing periods are UTC months. */
export function utcMonth(date: Date = new Date()): string {
  return date.toISOString().slice(0, 7);
}

/** The local calendar date of an `<input type="date">` value as the start of that UTC day. */
export function dateInputToRfc3339(value: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : undefined;
}

/** Lets the browser save a blob (a CSV export) under a file name. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL by now; keep it a little for slow browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
