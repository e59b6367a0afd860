import type { Me, Membership } from '../api/types';
import { capitalize } from '../format';
import { hrefFor, type OrgSection } from '../router';
import { h, uniqueId } from '../ui/dom';

export interface ShellOptions {
  me: Me;
  org: Membership | null;
  section: OrgSection | null;
  content: Node;
  onSwitchOrg(orgId: string): void;
  onLogout(button: HTMLButtonElement): void;
}

const SECTIONS: readonly { section: OrgSection; label: string }[] = [
  { section: 'api-keys', label: 'API keys' },
  { section: 'members', label: 'Members' },
];

/** The signed-in frame: brand, organization switcher, account, section tabs, then the screen. */
export function shell(options: ShellOptions): HTMLElement {
  const main = h('main', { id: 'main', class: 'content', tabindex: -1 }, options.content);
  const logoutButton = h('button', { type: 'button', class: 'button button-ghost' }, 'Log out');
  logoutButton.addEventListener('click', () => options.onLogout(logoutButton));

  return h(
    'div',
    { class: 'app-shell' },
    // A hash link would be taken for a route, so the skip link moves focus itself.
    h(
      'a',
      {
        class: 'skip-link',
        href: '#main',
        onclick: (event: Event) => {
          event.preventDefault();
          main.focus();
        },
      },
      'Skip to content',
    ),
    h(
      'header',
      { class: 'topbar' },
      h(
        'div',
        { class: 'topbar-inner' },
        h('a', { class: 'brand', href: hrefFor({ name: 'home' }) }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Latchkey'),
        orgSwitcher(options),
        h(
          'div',
          { class: 'account' },
          h(
            'span',
            { class: 'account-identity' },
            h('span', { class: 'account-name' }, options.me.user.name || options.me.user.email),
            h('span', { class: 'account-email' }, options.me.user.email),
          ),
          logoutButton,
        ),
      ),
      options.org ? sectionTabs(options.org, options.section) : null,
    ),
    main,
  );
}

function orgSwitcher(options: ShellOptions): HTMLElement | null {
  const organizations = options.me.organizations;
  if (!organizations.length) return null;
  const id = uniqueId('org-switcher');
  const select = h(
    'select',
    { id, class: 'org-select' },
    options.org ? null : h('option', { value: '', selected: true, disabled: true }, 'Choose…'),
    organizations.map((org) =>
      h('option', { value: org.id, selected: org.id === options.org?.id }, `${org.name} (${capitalize(org.role)})`),
    ),
  );
  select.addEventListener('change', () => options.onSwitchOrg(select.value));
  return h('div', { class: 'org-switcher' }, h('label', { for: id }, 'Organization'), select);
}

function sectionTabs(org: Membership, current: OrgSection | null): HTMLElement {
  return h(
    'nav',
    { class: 'tabs', 'aria-label': `${org.name} sections` },
    h(
      'ul',
      {},
      SECTIONS.map(({ section, label }) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              href: hrefFor({ name: 'org', orgId: org.id, section }),
              class: 'tab',
              'aria-current': section === current ? 'page' : null,
            },
            label,
          ),
        ),
      ),
    ),
  );
}
