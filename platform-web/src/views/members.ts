import { ROLES, type Member, type Role } from '../api/types';
import { capitalize } from '../format';
import { statusRegion } from '../ui/alerts';
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
      replaceChildren(tableSlot, membersTable(members, ctx.me.user.id, { onRoleChange: changeRole, onRemove: remove }));
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
    const self = member.user_id === ctx.me.user.id;
    const confirmed = await confirmDialog({
      title: self ? `Leave ${ctx.org.name}?` : `Remove ${displayName(member)}?`,
      message: self
        ? 'You will lose access to this organization until someone invites you again.'
        : `${member.email} loses access to ${ctx.org.name} immediately. API keys they created keep working until revoked.`,
      confirmLabel: self ? 'Leave organization' : 'Remove member',
      danger: true,
    });
    if (!confirmed) return;
    try {
      await ctx.api.removeMember(ctx.org.id, member.user_id);
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

  const inviteForm = memberInviteForm(ctx, async (invited) => {
    status.announce(
      invited.status === 'invited'
        ? `Invitation recorded for ${invited.email}. They join when they sign up with that email.`
        : `${displayName(invited)} was added as ${capitalize(invited.role)}.`,
    );
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
      h('p', { class: 'lead' }, `People with access to ${ctx.org.name}. Invited people join once they sign up with the invited email.`),
    ),
    status.element,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'invite-heading' },
      h('h2', { id: 'invite-heading' }, 'Invite a member'),
      inviteForm,
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

function memberInviteForm(ctx: OrgViewContext, onInvited: (member: Member) => Promise<void>): HTMLFormElement {
  const submit = h('button', { type: 'submit', class: 'button button-primary' }, 'Send invite');
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
      const invited = await whileBusy(submit, 'Inviting…', () =>
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
        members.map((member) => {
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
            h('td', {}, member.status === 'invited' ? 'Pending sign-up' : timeCell(member.joined_at)),
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
        }),
      ),
    ),
  );
}

function displayName(member: Member): string {
  return member.name?.trim() || member.email;
}
