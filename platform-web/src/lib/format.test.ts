import { describe, expect, it } from 'vitest';
import { apiKeyStatus, formatDateTime, formatMicros, localInputToRfc3339, utcMonth } from './format';

describe('apiKeyStatus', () => {
  const now = new Date('2030-01-01T00:00:00Z');

  it('prefers revoked over expired', () => {
    expect(apiKeyStatus({ revoked_at: '2029-01-01T00:00:00Z', expires_at: '2029-06-01T00:00:00Z' }, now)).toBe('revoked');
  });

  it('reports a rotated key inside its grace period as retiring', () => {
    expect(apiKeyStatus({ revoked_at: '2030-01-01T01:00:00Z', expires_at: null }, now)).toBe('retiring');
  });

  it('reports expired keys', () => {
    expect(apiKeyStatus({ revoked_at: null, expires_at: '2029-12-31T23:59:59Z' }, now)).toBe('expired');
  });

  it('treats keys without expiry as active', () => {
    expect(apiKeyStatus({ revoked_at: null, expires_at: null }, now)).toBe('active');
  });
});

describe('localInputToRfc3339', () => {
  it('returns undefined for an empty input', () => {
    expect(localInputToRfc3339('  ')).toBeUndefined();
  });

  it('returns null for garbage', () => {
    expect(localInputToRfc3339('tomorrow')).toBeNull();
  });

  it('converts local wall time to a UTC instant', () => {
    const value = '2031-05-06T07:08';
    expect(localInputToRfc3339(value)).toBe(new Date(2031, 4, 6, 7, 8).toISOString());
  });
});

describe('formatDateTime', () => {
  it('shows the placeholder for missing values', () => {
    expect(formatDateTime(null, 'Never')).toBe('Never');
  });

  it('leaves unparseable values as they are', () => {
    expect(formatDateTime('not a date')).toBe('not a date');
  });
});

describe('formatMicros', () => {
  it('shows whole cents for ordinary amounts', () => {
    expect(formatMicros(1_500_000, 'USD')).toMatch(/1\.50/);
  });

  it('keeps the digits of a price below a cent', () => {
    expect(formatMicros(2_500, 'USD')).toMatch(/0\.0025/);
  });

  it('falls back to the code for a currency the browser does not know', () => {
    expect(formatMicros(1_000_000, 'XX1')).toBe('1.00 XX1');
  });
});

describe('utcMonth', () => {
  it('is the UTC month', () => {
    expect(utcMonth(new Date('2031-03-31T23:30:00-02:00'))).toBe('2031-04');
  });
});
