import { describe, expect, it } from 'vitest';
import { can, grantableScopes } from './permissions';

describe('permissions', () => {
  it('lets a viewer read keys and credentials but change nothing', () => {
    expect(can('viewer', 'api-keys:read')).toBe(true);
    expect(can('viewer', 'api-keys:manage')).toBe(false);
    expect(can('viewer', 'credentials:manage')).toBe(false);
    expect(can('viewer', 'members:manage')).toBe(false);
  });

  it('keeps the audit log and webhooks to owners and admins', () => {
    expect(can('developer', 'audit:read')).toBe(false);
    expect(can('admin', 'audit:read')).toBe(true);
    expect(can('billing', 'webhooks:manage')).toBe(false);
  });

  it('never lets a developer grant the admin scope', () => {
    expect(grantableScopes('developer')).not.toContain('admin');
    expect(grantableScopes('owner')).toContain('admin');
    expect(grantableScopes('viewer')).toEqual([]);
  });
});
