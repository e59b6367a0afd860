import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/problem';
import { quotaChange } from './quotaForm';

const empty = { plan: '', limit: '', window_seconds: '', burst: '', allowance: '' };

describe('quota override form', () => {
  it('leaves out what is empty, so the plan decides it', () => {
    expect(quotaChange({ ...empty, plan: 'pro' })).toEqual({ plan: 'pro' });
  });

  it('sends a rate with its window, and the monthly allowance', () => {
    expect(quotaChange({ ...empty, limit: '100', window_seconds: '60', allowance: '5000' })).toEqual({
      rate: { limit: 100, window_seconds: 60 },
      monthly: { allowance: 5000 },
    });
  });

  it('refuses a rate without its window, naming the field the server would', () => {
    try {
      quotaChange({ ...empty, limit: '100' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).fieldErrors.map((e) => e.field)).toEqual(['rate.window_seconds']);
    }
  });
});
