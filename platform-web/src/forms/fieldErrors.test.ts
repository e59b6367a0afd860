import { describe, expect, it } from 'vitest';
import { fieldKey, partitionFieldErrors } from './fieldErrors';

describe('fieldKey', () => {
  it.each([
    ['email', 'email'],
    ['organization_name', 'organization_name'],
    ['organizationName', 'organization_name'],
    ['scopes[1]', 'scopes'],
    ['scopes.1', 'scopes'],
    ['expiresAt', 'expires_at'],
  ])('%s → %s', (field, key) => {
    expect(fieldKey(field)).toBe(key);
  });
});

describe('partitionFieldErrors', () => {
  it('groups messages by form field and keeps the rest for the summary', () => {
    const { byField, unmatched } = partitionFieldErrors(
      [
        { field: 'scopes[0]', message: 'unknown scope' },
        { field: 'scopes[2]', message: 'unknown scope' },
        { field: 'name', message: 'must not be blank' },
        { field: 'team', message: 'not allowed' },
      ],
      ['name', 'scopes', 'expires_at'],
    );
    expect(Object.fromEntries(byField)).toEqual({ scopes: ['unknown scope'], name: ['must not be blank'] });
    expect(unmatched).toEqual([{ field: 'team', message: 'not allowed' }]);
  });
});

describe('nested field paths', () => {
  it('go to the control of that exact path when the form has one', () => {
    const { byField, unmatched } = partitionFieldErrors(
      [
        { field: 'secret.api_key', message: 'must be at least 8 printable characters' },
        { field: 'config.url', message: 'is not an allowed host' },
      ],
      ['label', 'secret.api_key', 'config'],
    );
    expect(Object.fromEntries(byField)).toEqual({
      'secret.api_key': ['must be at least 8 printable characters'],
      config: ['is not an allowed host'],
    });
    expect(unmatched).toEqual([]);
  });
});
