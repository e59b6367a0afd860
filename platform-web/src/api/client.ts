import { HttpClient } from './http';

/** The one HTTP client of the console: it holds the CSRF token that every write sends. */
export const http = new HttpClient();

export const orgPath = (orgId: string) => `/v1/orgs/${encodeURIComponent(orgId)}`;

/** A query string of the given parameters, leaving out empty ones; '' when none remain. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
