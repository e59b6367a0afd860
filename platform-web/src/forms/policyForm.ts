import { validationProblem, type FieldError, type Problem } from '../api/problem';
import type { SessionPolicy } from '../api/schema';

export interface PolicyFormValues {
  pinned: string;
  allowed_overrides: string;
  default_ttl_seconds: string;
  max_ttl_seconds: string;
  max_session_seconds: string;
  allow_byok: boolean;
}

export function policyFormValues(policy: SessionPolicy): PolicyFormValues {
  return {
    pinned: policy.pinned && Object.keys(policy.pinned).length ? JSON.stringify(policy.pinned, null, 2) : '',
    allowed_overrides: policy.allowed_overrides.join('\n'),
    default_ttl_seconds: policy.default_ttl_seconds?.toString() ?? '',
    max_ttl_seconds: policy.max_ttl_seconds?.toString() ?? '',
    max_session_seconds: policy.max_session_seconds?.toString() ?? '',
    allow_byok: policy.allow_byok,
  };
}

/** The policy a form's values describe, or the problem with them (named by the server's field names). */
export function policyFromForm(values: PolicyFormValues): { ok: true; policy: SessionPolicy } | { ok: false; problem: Problem } {
  const errors: FieldError[] = [];
  let pinned: Record<string, unknown> | null = null;
  if (values.pinned.trim()) {
    try {
      const parsed: unknown = JSON.parse(values.pinned);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        errors.push({ field: 'pinned', message: 'must be a JSON object, e.g. {"model": "gpt-realtime"}' });
      } else {
        pinned = parsed as Record<string, unknown>;
      }
    } catch {
      errors.push({ field: 'pinned', message: 'is not valid JSON' });
    }
  }
  const seconds = (name: 'default_ttl_seconds' | 'max_ttl_seconds' | 'max_session_seconds'): number | null => {
    const raw = values[name].trim();
    if (!raw) return null;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) {
      errors.push({ field: name, message: 'must be a whole number of seconds above 0' });
      return null;
    }
    return value;
  };
  const policy: SessionPolicy = {
    pinned,
    allowed_overrides: values.allowed_overrides
      .split(/[\s,]+/)
      .map((path) => path.trim())
      .filter(Boolean),
    default_ttl_seconds: seconds('default_ttl_seconds'),
    max_ttl_seconds: seconds('max_ttl_seconds'),
    max_session_seconds: seconds('max_session_seconds'),
    allow_byok: values.allow_byok,
  };
  return errors.length ? { ok: false, problem: validationProblem(errors) } : { ok: true, policy };
}
