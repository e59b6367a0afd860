import type { CreateApiKeyRequest } from '../api/latchkey';
import { ApiError } from '../api/problem';
import { SCOPES, type ApiKey, type IssuedApiKey, type Scope } from '../api/types';
import { apiKeyStatus, capitalize, formatDateTime, localInputToRfc3339 } from '../format';
import { statusRegion } from '../ui/alerts';
import { confirmDialog, openModal } from '../ui/dialog';
import { h, replaceChildren } from '../ui/dom';
import { FormFeedback, checkboxGroup, formString, formStrings, inputField, whileBusy } from '../ui/forms';
import { secretKeyPanel } from '../ui/secretKeyPanel';
import { timeCell } from '../ui/time';
import { showError, type OrgViewContext } from './context';

const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  'tokens:mint': 'Mint short-lived provider tokens',
  'sessions:mint': 'Mint realtime session credentials',
  'rooms:write': 'Create and manage video rooms',
  'usage:read': 'Read usage and metering data',
  admin: 'Full access to this organization',
};

const DEFAULT_GRACE_SECONDS = 3600;

export function apiKeysView(ctx: OrgViewContext): HTMLElement {
  const status = statusRegion();
  const revealSlot = h('div', { class: 'reveal-slot' });
  const listErrors = h('div');
  const tableSlot = h('div', { class: 'table-slot' }, h('p', { class: 'muted', role: 'status' }, 'Loading API keys…'));
  const loadMoreSlot = h('div', { class: 'load-more' });
  let keys: ApiKey[] = [];

  const revealKey = (issued: IssuedApiKey, heading: string) => {
    const panel = secretKeyPanel(issued, heading, () => {
      status.announce('The key is no longer displayed.');
      createForm.querySelector<HTMLInputElement>('input[name="name"]')?.focus();
    });
    replaceChildren(revealSlot, panel);
    panel.querySelector<HTMLElement>('h2')?.focus();
  };

  const load = async (cursor: string | null = null) => {
    try {
      const page = await ctx.api.listApiKeys(ctx.org.id, cursor, { signal: ctx.signal });
      keys = cursor ? [...keys, ...page.items] : page.items;
      replaceChildren(listErrors);
      replaceChildren(tableSlot, keysTable(keys, { onRevoke: revoke, onRotate: rotate }));
      replaceChildren(
        loadMoreSlot,
        page.next_cursor
          ? h('button', { type: 'button', class: 'button', onclick: () => load(page.next_cursor) }, 'Load more keys')
          : null,
      );
    } catch (error) {
      if (showError(ctx, listErrors, error) && !keys.length) replaceChildren(tableSlot);
    }
  };

  const revoke = async (key: ApiKey) => {
    const confirmed = await confirmDialog({
      title: `Revoke “${key.name}”?`,
      message: `Anything using the key ${key.prefix}… stops working immediately. This cannot be undone.`,
      confirmLabel: 'Revoke key',
      danger: true,
    });
    if (!confirmed) return;
    try {
      await ctx.api.revokeApiKey(ctx.org.id, key.id);
      status.announce(`API key “${key.name}” revoked.`);
      await load();
      // The row that held the focused button is gone; keep keyboard users in the list.
      document.getElementById('keys-heading')?.focus();
    } catch (error) {
      showError(ctx, listErrors, error);
    }
  };

  const rotate = async (key: ApiKey) => {
    const issued = await rotateDialog(ctx, key);
    if (!issued) return;
    revealKey(issued, `New key for “${issued.name}”`);
    await load();
  };

  const createForm = createKeyForm(ctx, async (issued) => {
    revealKey(issued, `API key “${issued.name}” created`);
    await load();
  });

  void load();

  return h(
    'div',
    { class: 'view' },
    h(
      'header',
      { class: 'view-header' },
      h('h1', { tabindex: -1 }, 'API keys'),
      h('p', { class: 'lead' }, `Keys let your servers call Latchkey on behalf of ${ctx.org.name}. Give each key only the scopes it needs.`),
    ),
    status.element,
    revealSlot,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'create-key-heading' },
      h('h2', { id: 'create-key-heading' }, 'Create an API key'),
      createForm,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'keys-heading' },
      h('h2', { id: 'keys-heading', tabindex: -1 }, 'Keys'),
      listErrors,
      tableSlot,
      loadMoreSlot,
    ),
  );
}

function createKeyForm(ctx: OrgViewContext, onCreated: (issued: IssuedApiKey) => Promise<void>): HTMLFormElement {
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Create key');
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    inputField({
      label: 'Name',
      name: 'name',
      required: true,
      maxlength: 100,
      autocomplete: 'off',
      hint: 'Where the key is used, e.g. “production backend”.',
    }),
    checkboxGroup({
      label: 'Scopes',
      name: 'scopes',
      options: SCOPES.map((scope) => ({ value: scope, label: scope, description: SCOPE_DESCRIPTIONS[scope] })),
      checked: ['tokens:mint'],
    }),
    inputField({
      label: 'Expires (optional)',
      name: 'expires_at',
      type: 'datetime-local',
      hint: 'In your local time. Leave empty for a key that does not expire.',
    }),
    h('div', { class: 'form-actions' }, submit),
  );
  const feedback = new FormFeedback(form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    feedback.clear();
    const expiresAt = localInputToRfc3339(formString(form, 'expires_at'));
    if (expiresAt === null) {
      feedback.showProblem({
        type: 'about:blank',
        title: 'Invalid input',
        status: 400,
        detail: 'Please correct the highlighted field.',
        errors: [{ field: 'expires_at', message: 'Enter a valid date and time.' }],
      });
      return;
    }
    const request: CreateApiKeyRequest = {
      name: formString(form, 'name').trim(),
      scopes: formStrings(form, 'scopes'),
    };
    if (expiresAt) request.expires_at = expiresAt;
    try {
      const issued = await whileBusy(submit, 'Creating…', () => ctx.api.createApiKey(ctx.org.id, request));
      form.reset();
      await onCreated(issued);
    } catch (error) {
      if (!ctx.signal.aborted) feedback.showError(error);
    }
  });
  return form;
}

/** Asks for the grace period and rotates; resolves with the new key, or null if cancelled. */
async function rotateDialog(ctx: OrgViewContext, key: ApiKey): Promise<IssuedApiKey | null> {
  let issued: IssuedApiKey | null = null;
  await openModal({
    title: `Rotate “${key.name}”`,
    content: (close) => {
      const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Rotate key');
      const form = h(
        'form',
        { novalidate: true },
        h(
          'p',
          {},
          'A new secret is issued now. The current key keeps working during the grace period, so you can roll out the new one without downtime.',
        ),
        inputField({
          label: 'Grace period (seconds)',
          name: 'grace_seconds',
          type: 'number',
          min: 0,
          step: 1,
          required: true,
          value: String(DEFAULT_GRACE_SECONDS),
          hint: '0 retires the old key immediately; 3600 is one hour, 86400 one day.',
        }),
        h(
          'div',
          { class: 'modal-actions' },
          h('button', { type: 'button', class: 'button', onclick: () => close(false) }, 'Cancel'),
          submit,
        ),
      );
      const feedback = new FormFeedback(form);
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        feedback.clear();
        const raw = formString(form, 'grace_seconds').trim();
        const graceSeconds = Number(raw);
        if (!raw || !Number.isInteger(graceSeconds) || graceSeconds < 0) {
          feedback.showProblem({
            type: 'about:blank',
            title: 'Invalid input',
            status: 400,
            detail: 'Please correct the highlighted field.',
            errors: [{ field: 'grace_seconds', message: 'Enter a whole number of seconds (0 or more).' }],
          });
          return;
        }
        try {
          issued = await whileBusy(submit, 'Rotating…', () => ctx.api.rotateApiKey(ctx.org.id, key.id, graceSeconds));
          close(true);
        } catch (error) {
          if (error instanceof ApiError && error.status === 401) {
            close(false);
            ctx.sessionExpired();
            return;
          }
          feedback.showError(error);
        }
      });
      return form;
    },
  });
  return issued;
}

interface KeyActions {
  onRevoke(key: ApiKey): void;
  onRotate(key: ApiKey): void;
}

function keysTable(keys: ApiKey[], actions: KeyActions): HTMLElement {
  if (!keys.length) {
    return h('p', { class: 'empty-state' }, 'No API keys yet. Create one above to start calling the API.');
  }
  const now = new Date();
  return h(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-label': 'API keys', tabindex: 0 },
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Name', 'Prefix', 'Scopes', 'Created', 'Expires', 'Last used', 'Status'].map((label) => h('th', { scope: 'col' }, label)),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
        ),
      ),
      h(
        'tbody',
        {},
        keys.map((key) => {
          const keyStatus = apiKeyStatus(key, now);
          const usable = keyStatus !== 'revoked';
          return h(
            'tr',
            { class: usable ? '' : 'row-muted' },
            h('th', { scope: 'row' }, key.name),
            h('td', {}, h('code', {}, `${key.prefix}…`)),
            h('td', {}, h('ul', { class: 'chips' }, key.scopes.map((scope) => h('li', { class: 'chip' }, scope)))),
            h('td', {}, timeCell(key.created_at)),
            h('td', {}, timeCell(key.expires_at, 'Never')),
            h('td', {}, timeCell(key.last_used_at, 'Never')),
            h(
              'td',
              {},
              h('span', { class: `badge badge-${keyStatus}` }, capitalize(keyStatus)),
              key.revoked_at
                ? h(
                    'span',
                    { class: 'cell-note' },
                    // Grace periods are often minutes long, so a retiring key shows the exact time.
                    keyStatus === 'retiring' ? `until ${formatDateTime(key.revoked_at)}` : timeCell(key.revoked_at),
                  )
                : null,
            ),
            h(
              'td',
              { class: 'actions' },
              usable
                ? [
                    h(
                      'button',
                      { type: 'button', class: 'button button-small', 'aria-label': `Rotate ${key.name}`, onclick: () => actions.onRotate(key) },
                      'Rotate',
                    ),
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'button button-small button-danger-outline',
                        'aria-label': `Revoke ${key.name}`,
                        onclick: () => actions.onRevoke(key),
                      },
                      'Revoke',
                    ),
                  ]
                : null,
            ),
          );
        }),
      ),
    ),
  );
}
