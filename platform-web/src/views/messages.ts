import type { Problem } from '../api/types';
import { hrefFor } from '../router';
import { problemAlert } from '../ui/alerts';
import { h } from '../ui/dom';

export function messageView(title: string, message: string, link?: { href: string; label: string }): HTMLElement {
  return h(
    'div',
    { class: 'view' },
    h('header', { class: 'view-header' }, h('h1', { tabindex: -1 }, title)),
    h(
      'section',
      { class: 'card empty-card' },
      h('p', {}, message),
      link ? h('p', {}, h('a', { href: link.href }, link.label)) : null,
    ),
  );
}

export function noOrganizationsView(): HTMLElement {
  return messageView(
    'No organizations',
    'You are not a member of any organization yet. Ask an owner or admin for an invitation link, and open it while signed in.',
  );
}

export function notFoundView(): HTMLElement {
  return messageView('Page not found', 'There is nothing at this address.', {
    href: hrefFor({ name: 'home' }),
    label: 'Go to the console home',
  });
}

export function unknownOrgView(): HTMLElement {
  return messageView(
    'Organization not available',
    'This organization does not exist or you are no longer a member. Pick another one from the switcher.',
    { href: hrefFor({ name: 'home' }), label: 'Open your default organization' },
  );
}

/** Shown when the console cannot even tell whether the user is signed in. */
export function unavailableView(problem: Problem, onRetry: () => void): HTMLElement {
  return h(
    'main',
    { id: 'main', class: 'auth-page' },
    h(
      'div',
      { class: 'auth-card' },
      h('h1', { tabindex: -1 }, 'Latchkey is unavailable'),
      problemAlert(problem),
      h('button', { type: 'button', class: 'button button-primary', onclick: onRetry }, 'Try again'),
    ),
  );
}
