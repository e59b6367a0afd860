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
