import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/problem';
import { capChange, describeCap } from './platformCredentialForm';

describe('platform credential caps', () => {
  it('leaves out an empty field: no cap', () => {
    expect(capChange({ perMinute: '', perMonth: '' })).toEqual({});
    expect(capChange({ perMinute: ' 600 ', perMonth: '' })).toEqual({ requests_per_minute: 600 });
    expect(capChange({ perMinute: '', perMonth: '0' })).toEqual({ requests_per_month: 0 });
  });

  it('refuses what is not a whole number, naming the fields the server would', () => {
    try {
      capChange({ perMinute: '0', perMonth: '1.5' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).fieldErrors.map((e) => e.field)).toEqual(['cap.requests_per_minute', 'cap.requests_per_month']);
    }
  });

  it('reads a cap in words', () => {
    expect(describeCap({ requests_per_minute: 600, requests_per_month: 100_000 })).toBe('600 / min, 100,000 / month');
    expect(describeCap({ requests_per_minute: null, requests_per_month: null })).toBe('No cap');
  });
});
