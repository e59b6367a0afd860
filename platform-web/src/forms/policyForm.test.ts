import { describe, expect, it } from 'vitest';
import { policyFormValues, policyFromForm } from './policyForm';

const values = {
  pinned: '{"model": "gpt-realtime"}',
  allowed_overrides: 'voice\ninstructions, turn_detection',
  default_ttl_seconds: '60',
  max_ttl_seconds: '',
  max_session_seconds: '600',
  allow_byok: false,
};

describe('session policy form', () => {
  it('turns the form into the policy the API takes', () => {
    expect(policyFromForm(values)).toEqual({
      ok: true,
      policy: {
        pinned: { model: 'gpt-realtime' },
        allowed_overrides: ['voice', 'instructions', 'turn_detection'],
        default_ttl_seconds: 60,
        max_ttl_seconds: null,
        max_session_seconds: 600,
        allow_byok: false,
      },
    });
  });

  it('names the fields that are wrong', () => {
    const result = policyFromForm({ ...values, pinned: '[1]', max_ttl_seconds: '-5' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.errors?.map((e) => e.field)).toEqual(['pinned', 'max_ttl_seconds']);
  });

  it('round-trips a stored policy', () => {
    const stored = { pinned: { voice: 'marin' }, allowed_overrides: ['*'], default_ttl_seconds: null, max_ttl_seconds: 120, max_session_seconds: null, allow_byok: true };
    expect(policyFromForm(policyFormValues(stored))).toEqual({ ok: true, policy: stored });
  });
});
