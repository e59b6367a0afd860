// Hash routing keeps every console URL served by the same static index.html,
// so the backend needs no SPA fallback for deep links.

export type OrgSection = 'api-keys' | 'members';

export type Route =
  | { name: 'home' }
  | { name: 'login' }
  | { name: 'signup' }
  | { name: 'org'; orgId: string; section: OrgSection }
  // The invitation link: the token stays in the fragment, which browsers never send to a server.
  | { name: 'invitation'; token: string }
  | { name: 'not-found'; path: string };

const ORG_SECTIONS: readonly OrgSection[] = ['api-keys', 'members'];

export function parseHash(hash: string): Route {
  const [rawPath = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const path = rawPath.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'home' };
  if (path === '/invitations/accept') {
    const token = new URLSearchParams(query).get('token');
    if (token) return { name: 'invitation', token };
  }
  if (path === '/login') return { name: 'login' };
  if (path === '/signup') return { name: 'signup' };

  const segments = path.split('/').slice(1);
  const [first, orgId, section] = segments;
  if (segments.length === 3 && first === 'orgs' && orgId && isOrgSection(section)) {
    return { name: 'org', orgId: safeDecode(orgId), section };
  }
  return { name: 'not-found', path };
}

export function hrefFor(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'login':
      return '#/login';
    case 'signup':
      return '#/signup';
    case 'org':
      return `#/orgs/${encodeURIComponent(route.orgId)}/${route.section}`;
    case 'invitation':
      return `#/invitations/accept?token=${encodeURIComponent(route.token)}`;
    case 'not-found':
      return `#${route.path}`;
  }
}

export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const href = hrefFor(route);
  if (options.replace) {
    history.replaceState(null, '', href);
    // replaceState does not fire hashchange, but the app still has to render the new route.
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = href;
  }
}

function isOrgSection(value: string | undefined): value is OrgSection {
  return ORG_SECTIONS.includes(value as OrgSection);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
