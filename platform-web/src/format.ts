import type { ApiKey } from './api/types';

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
