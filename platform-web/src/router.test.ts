import { describe, expect, it } from 'vitest';
import { hrefFor, parseHash, type Route } from './router';

describe('parseHash', () => {
  it.each<[string, Route]>([
    ['', { name: 'home' }],
    ['#', { name: 'home' }],
    ['#/', { name: 'home' }],
    ['#/login', { name: 'login' }],
    ['#/signup/', { name: 'signup' }],
    ['#/orgs/org_1/api-keys', { name: 'org', orgId: 'org_1', section: 'api-keys' }],
    ['#/orgs/a%2Fb/members', { name: 'org', orgId: 'a/b', section: 'members' }],
    ['#/orgs/org_1/billing', { name: 'not-found', path: '/orgs/org_1/billing' }],
    ['#/nope', { name: 'not-found', path: '/nope' }],
    ['#/invitations/accept?token=invite_abc123', { name: 'invitation', token: 'invite_abc123' }],
    ['#/invitations/accept', { name: 'not-found', path: '/invitations/accept' }],
  ])('%s', (hash, route) => {
    expect(parseHash(hash)).toEqual(route);
  });

  it('round-trips through hrefFor', () => {
    const route: Route = { name: 'org', orgId: 'a/b c', section: 'members' };
    expect(parseHash(hrefFor(route))).toEqual(route);
    const invitation: Route = { name: 'invitation', token: 'invite_Ab9' };
    expect(parseHash(hrefFor(invitation))).toEqual(invitation);
  });
});
