import type { LatchkeyApi } from '../api/latchkey';
import { capitalize, formatDateTime } from '../format';
import { h, replaceChildren } from '../ui/dom';
import { whileBusy } from '../ui/forms';
import { showError } from './context';

export interface InvitationContext {
  api: LatchkeyApi;
  token: string;
  signal: AbortSignal;
  sessionExpired(): void;
  /** The user joined: reload their memberships and open the organization. */
  onJoined(orgId: string): Promise<void>;
}

/**
 * The invitation link's screen: what the invitation offers, and joining with it. Whoever holds
 * the link and is signed in may join, whatever their email; the link works once.
 */
export function invitationView(ctx: InvitationContext): HTMLElement {
  const errors = h('div');
  const body = h('section', { class: 'card' }, h('p', { class: 'muted', role: 'status' }, 'Checking the invitation…'));

  const load = async () => {
    try {
      const preview = await ctx.api.previewInvitation(ctx.token, { signal: ctx.signal });
      const join = h('button', { type: 'button', class: 'button button-primary' }, `Join ${preview.organization_name}`);
      join.addEventListener('click', async () => {
        try {
          const accepted = await whileBusy(join, 'Joining…', () => ctx.api.acceptInvitation(ctx.token));
          await ctx.onJoined(accepted.organization.id);
        } catch (error) {
          showError(ctx, errors, error);
        }
      });
      replaceChildren(
        body,
        h(
          'p',
          {},
          `You are invited to join ${preview.organization_name} as ${capitalize(preview.role)}. ` +
            `The invitation works once, until ${formatDateTime(preview.expires_at)}.`,
        ),
        join,
      );
    } catch (error) {
      if (showError(ctx, errors, error)) replaceChildren(body);
    }
  };
  void load();

  return h(
    'div',
    { class: 'view' },
    h('header', { class: 'view-header' }, h('h1', { tabindex: -1 }, 'Invitation')),
    errors,
    body,
  );
}
