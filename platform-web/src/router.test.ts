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
  ])('%s', (hash, route) => {
    expect(parseHash(hash)).toEqual(route);
  });

  it('round-trips through hrefFor', () => {
    const route: Route = { name: 'org', orgId: 'a/b c', section: 'members' };
    expect(parseHash(hrefFor(route))).toEqual(route);
  });
});
