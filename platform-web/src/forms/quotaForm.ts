import { ApiError, validationProblem, type FieldError } from '../api/problem';
import type { QuotaChange } from '../api/schema';

/** Builds the quota change from the form; an empty field means the plan's value. */
export function quotaChange(values: Record<'plan' | 'limit' | 'window_seconds' | 'burst' | 'allowance', string>): QuotaChange {
  const errors: FieldError[] = [];
  const number = (name: keyof typeof values): number | undefined => {
    const raw = values[name].trim();
    if (!raw) return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) errors.push({ field: name === 'allowance' ? 'monthly.allowance' : `rate.${name}`, message: 'must be a whole number, 0 or more' });
    return value;
  };
  const limit = number('limit');
  const windowSeconds = number('window_seconds');
  const burst = number('burst');
  const allowance = number('allowance');
  if ((limit === undefined) !== (windowSeconds === undefined)) {
    errors.push({ field: limit === undefined ? 'rate.limit' : 'rate.window_seconds', message: 'a rate needs both a limit and a window' });
  }
  if (errors.length) throw new ApiError(validationProblem(errors));
  const change: QuotaChange = {};
  if (values.plan) change.plan = values.plan;
  if (limit !== undefined && windowSeconds !== undefined) change.rate = { limit, window_seconds: windowSeconds, ...(burst !== undefined ? { burst } : {}) };
  if (allowance !== undefined) change.monthly = { allowance };
  return change;
}
