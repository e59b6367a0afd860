import type { IssuedApiKey } from '../api/types';
import { formatDateTime } from '../format';
import { copyText } from './clipboard';
import { h, uniqueId } from './dom';

/**
 * Shows a freshly issued API key. The server never returns the secret again, so the panel says
 * so plainly and the secret disappears from the page (and memory) once dismissed.
 */
export function secretKeyPanel(issued: IssuedApiKey, heading: string, onDismiss: () => void): HTMLElement {
  const headingId = uniqueId('secret-heading');
  const inputId = uniqueId('secret-key');
  const copyStatus = h('span', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });

  const keyInput = h('input', {
    id: inputId,
    class: 'secret-value',
    type: 'text',
    readonly: true,
    value: issued.key,
    spellcheck: 'false',
    autocomplete: 'off',
    onfocus: (event: Event) => (event.target as HTMLInputElement).select(),
  });

  const copyButton = h(
    'button',
    {
      type: 'button',
      class: 'button button-primary',
      onclick: async () => {
        const copied = await copyText(issued.key);
        copyStatus.textContent = copied ? 'Copied to clipboard.' : 'Copy failed: select the key and copy it manually.';
        if (!copied) keyInput.select();
      },
    },
    'Copy key',
  );

  const panel = h(
    'section',
    { class: 'secret-panel', 'aria-labelledby': headingId },
    h('h2', { id: headingId, tabindex: -1 }, heading),
    h(
      'p',
      { class: 'warning' },
      h('strong', {}, 'Copy this key now. '),
      'For your security it will not be shown again. If you lose it, rotate the key to get a new one.',
    ),
    h('label', { for: inputId, class: 'visually-hidden' }, `Secret for API key ${issued.name}`),
    h('div', { class: 'secret-row' }, keyInput, copyButton),
    copyStatus,
    h(
      'dl',
      { class: 'secret-meta' },
      h('dt', {}, 'Name'),
      h('dd', {}, issued.name),
      h('dt', {}, 'Scopes'),
      h('dd', {}, issued.scopes.join(', ') || '—'),
      h('dt', {}, 'Expires'),
      h('dd', {}, formatDateTime(issued.expires_at, 'Never')),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'button',
        onclick: () => {
          panel.remove();
          onDismiss();
        },
      },
      'I have stored the key',
    ),
  );
  return panel;
}
