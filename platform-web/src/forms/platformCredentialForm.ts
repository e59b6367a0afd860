import { ApiError, validationProblem, type FieldError } from '../api/problem';
import type { PlatformCredentialCapChange } from '../api/schema';

/**
 * The platform-wide caps of a managed credential from the form: an empty field is no cap; a value
 * must be a whole number (requests per minute at least 1). Errors name the fields as the server does.
 */
export function capChange(values: { perMinute: string; perMonth: string }, prefix = 'cap.'): PlatformCredentialCapChange {
  const errors: FieldError[] = [];
  const number = (raw: string, field: string, min: number): number | undefined => {
    const text = raw.trim();
    if (!text) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) {
      errors.push({ field: `${prefix}${field}`, message: `must be a whole number, ${min} or more` });
      return undefined;
    }
    return value;
  };
  const perMinute = number(values.perMinute, 'requests_per_minute', 1);
  const perMonth = number(values.perMonth, 'requests_per_month', 0);
  if (errors.length) throw new ApiError(validationProblem(errors));
  const cap: PlatformCredentialCapChange = {};
  if (perMinute !== undefined) cap.requests_per_minute = perMinute;
  if (perMonth !== undefined) cap.requests_per_month = perMonth;
  return cap;
}

/** A cap as people read it: "600 / min, 100,000 / month", or "No cap". */
export function describeCap(cap: { requests_per_minute: number | null; requests_per_month: number | null }): string {
  const parts: string[] = [];
  if (cap.requests_per_minute !== null) parts.push(`${cap.requests_per_minute.toLocaleString('en-US')} / min`);
  if (cap.requests_per_month !== null) parts.push(`${cap.requests_per_month.toLocaleString('en-US')} / month`);
  return parts.length ? parts.join(', ') : 'No cap';
}
