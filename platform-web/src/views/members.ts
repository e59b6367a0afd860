import { ROLES, type CreatedInvitation, type Member, type Role } from '../api/types';
import { capitalize, formatDateTime } from '../format';
import { statusRegion } from '../ui/alerts';
import { copyText } from '../ui/clipboard';
import { confirmDialog } from '../ui/dialog';
import { h, replaceChildren, uniqueId } from '../ui/dom';
import { FormFeedback, formString, inputField, selectField, whileBusy } from '../ui/forms';
import { timeCell } from '../ui/time';
import { showError, type OrgViewContext } from './context';

const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: capitalize(role) }));

export function membersView(ctx: OrgViewContext): HTMLElement {
  const status = statusRegion();
  const listErrors = h('div');
  const tableSlot = h('div', { class: 'table-slot' }, h('p', { class: 'muted', role: 'status' }, 'Loading members…'));
  const loadMoreSlot = h('div', { class: 'load-more' });
  let members: Member[] = [];

  const load = async (cursor: string | null = null) => {
    try {
      const page = await ctx.api.listMembers(ctx.org.id, cursor, { signal: ctx.signal });
      members = cursor ? [...members, ...page.items] : page.items;
      replaceChildren(listErrors);
      replaceChildren(
        tableSlot,
        membersTable(members, ctx.me.user.id, { onRoleChange: changeRole, onRemove: remove, onRevoke: revoke }),
      );
      replaceChildren(
        loadMoreSlot,
        page.next_cursor
          ? h('button', { type: 'button', class: 'button', onclick: () => load(page.next_cursor) }, 'Load more members')
          : null,
      );
    } catch (error) {
      if (showError(ctx, listErrors, error) && !members.length) replaceChildren(tableSlot);
    }
  };

  const changeRole = async (member: Member, role: Role, select: HTMLSelectElement) => {
    if (!member.user_id) return;
    select.disabled = true;
    try {
      const updated = await ctx.api.changeMemberRole(ctx.org.id, member.user_id, role);
      // Updated in place so the row (and the focused select) stays; the closure keeps the current role.
      Object.assign(member, updated);
      replaceChildren(listErrors);
      status.announce(`${displayName(updated)} is now ${capitalize(updated.role)}.`);
      if (updated.user_id === ctx.me.user.id) {
        await ctx.refreshSession();
        return;
      }
    } catch (error) {
      select.value = member.role;
      showError(ctx, listErrors, error);
    } finally {
      select.disabled = false;
    }
  };

  const remove = async (member: Member) => {
    if (!member.user_id) return;
    const userId = member.user_id;
    const self = userId === ctx.me.user.id;
    const confirmed = await confirmDialog({
      title: self ? `Leave ${ctx.org.name}?` : `Remove ${displayName(member)}?`,
      message: self
        ? 'You will lose access to this organization until someone invites you again.'
        : `${member.email} loses access to ${ctx.org.name} immediately, and the API keys they created are revoked.`,
      confirmLabel: self ? 'Leave organization' : 'Remove member',
      danger: true,
    });
    if (!confirmed) return;
    try {
      await ctx.api.removeMember(ctx.org.id, userId);
      if (self) {
        await ctx.refreshSession();
        return;
      }
      status.announce(`${displayName(member)} was removed.`);
      await load();
      // The row that held the focused button is gone; keep keyboard users in the list.
      document.getElementById('members-heading')?.focus();
    } catch (error) {
      showError(ctx, listErrors, error);
    }
  };

  const revoke = async (member: Member) => {
    if (!member.invitation_id) return;
    const invitationId = member.invitation_id;
    const confirmed = await confirmDialog({
      title: `Revoke the invitation for ${member.email}?`,
      message: 'Its link stops working at once.',
      confirmLabel: 'Revoke invitation',
      danger: true,
    });
    if (!confirmed) return;
    try {
      await ctx.api.revokeInvitation(ctx.org.id, invitationId);
      status.announce(`The invitation for ${member.email} was revoked.`);
      await load();
      document.getElementById('members-heading')?.focus();
    } catch (error) {
      showError(ctx, listErrors, error);
    }
  };

  const linkSlot = h('div');
  const inviteForm = memberInviteForm(ctx, async (invited) => {
    replaceChildren(linkSlot, invitationLinkPanel(invited, () => replaceChildren(linkSlot)));
    status.announce(`Invitation for ${invited.email} created. Copy the link and send it to them.`);
    await load();
  });

  void load();

  return h(
    'div',
    { class: 'view' },
    h(
      'header',
      { class: 'view-header' },
      h('h1', { tabindex: -1 }, 'Members'),
      h(
        'p',
        { class: 'lead' },
        `People with access to ${ctx.org.name}. An invitation is a link that works once: whoever opens it signed in joins with the role you chose.`,
      ),
    ),
    status.element,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'invite-heading' },
      h('h2', { id: 'invite-heading' }, 'Invite a member'),
      inviteForm,
      linkSlot,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'members-heading' },
      h('h2', { id: 'members-heading', tabindex: -1 }, 'Members'),
      listErrors,
      tableSlot,
      loadMoreSlot,
    ),
  );
}

function memberInviteForm(ctx: OrgViewContext, onInvited: (invited: CreatedInvitation) => Promise<void>): HTMLFormElement {
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Create invitation link');
  const form = h(
    'form',
    { class: 'inline-form', novalidate: true },
    inputField({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'off', className: 'field-grow' }),
    selectField({ label: 'Role', name: 'role', options: ROLE_OPTIONS, value: 'developer' }),
    h('div', { class: 'form-actions' }, submit),
  );
  const feedback = new FormFeedback(form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    feedback.clear();
    try {
      const invited = await whileBusy(submit, 'Creating…', () =>
        ctx.api.inviteMember(ctx.org.id, formString(form, 'email').trim(), formString(form, 'role') as Role),
      );
      form.reset();
      await onInvited(invited);
    } catch (error) {
      if (!ctx.signal.aborted) feedback.showError(error);
    }
  });
  return form;
}

interface MemberActions {
  onRoleChange(member: Member, role: Role, select: HTMLSelectElement): void;
  onRemove(member: Member): void;
  onRevoke(member: Member): void;
}

/** The new invitation's link, shown once: the server keeps only a hash of its token. */
function invitationLinkPanel(invited: CreatedInvitation, onDismiss: () => void): HTMLElement {
  const inputId = uniqueId('invitation-link');
  const copyStatus = h('span', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });
  const linkInput = h('input', {
    id: inputId,
    class: 'secret-value',
    type: 'text',
    readonly: true,
    value: invited.invitation_url,
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
        const copied = await copyText(invited.invitation_url);
        copyStatus.textContent = copied ? 'Copied to clipboard.' : 'Copy failed: select the link and copy it manually.';
        if (!copied) linkInput.select();
      },
    },
    'Copy link',
  );
  return h(
    'section',
    { class: 'secret-panel' },
    h(
      'p',
      { class: 'warning' },
      h('strong', {}, 'Copy this link now and send it to ' + invited.email + '. '),
      `It will not be shown again. It works once, until ${formatDateTime(invited.expires_at)}, for whoever opens it while signed in; revoke it below if it goes astray.`,
    ),
    h('label', { for: inputId, class: 'visually-hidden' }, `Invitation link for ${invited.email}`),
    h('div', { class: 'secret-row' }, linkInput, copyButton),
    copyStatus,
    h('button', { type: 'button', class: 'button', onclick: onDismiss }, 'Done'),
  );
}

function membersTable(members: Member[], currentUserId: string, actions: MemberActions): HTMLElement {
  if (!members.length) {
    return h('p', { class: 'empty-state' }, 'No members yet.');
  }
  return h(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-label': 'Members', tabindex: 0 },
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Member', 'Role', 'Status', 'Joined'].map((label) => h('th', { scope: 'col' }, label)),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
        ),
      ),
      h(
        'tbody',
        {},
        members.map((member) => (member.user_id ? memberRow(member, currentUserId, actions) : invitationRow(member, actions))),
      ),
    ),
  );
}

function memberRow(member: Member, currentUserId: string, actions: MemberActions): HTMLElement {
  const self = member.user_id === currentUserId;
  const selectId = uniqueId('member-role');
  const select = h(
    'select',
    { id: selectId, class: 'select-compact' },
    ROLE_OPTIONS.map((option) => h('option', { value: option.value, selected: option.value === member.role }, option.label)),
  );
  select.addEventListener('change', () => actions.onRoleChange(member, select.value as Role, select));
  return h(
    'tr',
    {},
    h(
      'th',
      { scope: 'row' },
      h('span', { class: 'member-name' }, displayName(member), self ? h('span', { class: 'you' }, ' (you)') : null),
      member.name?.trim() ? h('span', { class: 'member-email' }, member.email) : null,
    ),
    h('td', {}, h('label', { for: selectId, class: 'visually-hidden' }, `Role of ${member.email}`), select),
    h('td', {}, h('span', { class: `badge badge-${member.status}` }, capitalize(member.status))),
    h('td', {}, timeCell(member.joined_at)),
    h(
      'td',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'button button-small button-danger-outline',
          'aria-label': self ? 'Leave organization' : `Remove ${member.email}`,
          onclick: () => actions.onRemove(member),
        },
        self ? 'Leave' : 'Remove',
      ),
    ),
  );
}

/** An open invitation: its role is fixed (revoke it and invite again to change it). */
function invitationRow(member: Member, actions: MemberActions): HTMLElement {
  return h(
    'tr',
    {},
    h('th', { scope: 'row' }, h('span', { class: 'member-name' }, member.email)),
    h('td', {}, capitalize(member.role)),
    h('td', {}, h('span', { class: `badge badge-${member.status}` }, capitalize(member.status))),
    h(
      'td',
      {},
      member.status === 'invited' ? `Link valid until ${formatDateTime(member.expires_at)}` : 'Link expired',
    ),
    h(
      'td',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'button button-small button-danger-outline',
          'aria-label': `Revoke the invitation for ${member.email}`,
          onclick: () => actions.onRevoke(member),
        },
        'Revoke',
      ),
    ),
  );
}

function displayName(member: Member): string {
  return member.name?.trim() || member.email;
}
