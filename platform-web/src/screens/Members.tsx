import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { account } from '../api/account';
import { auth } from '../api/endpoints';
import { members } from '../api/members';
import { keys } from '../api/queryKeys';
import { ROLES, type CreatedInvitation, type Member, type Role } from '../api/schema';
import { useOrgScreen, useTitle } from '../context';
import { capitalize, formatDateTime } from '../lib/format';
import { useCursorPages } from '../lib/paging';
import { can } from '../lib/permissions';
import { useSetSession } from '../session';
import { useConfirm } from '../ui/Dialog';
import { Form, SelectField, TextField, formString } from '../ui/Form';
import { PagedTable, type Column } from '../ui/PagedTable';
import { SecretPanel } from '../ui/SecretPanel';
import { Card, ErrorState, ScreenHeader } from '../ui/States';
import { Time } from '../ui/Time';

const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: capitalize(role) }));

function displayName(member: Member): string {
  return member.name?.trim() || member.email;
}

export function MembersScreen() {
  const { org, session } = useOrgScreen();
  useTitle(`Members · ${org.name}`);
  const client = useQueryClient();
  const confirm = useConfirm();
  const setSession = useSetSession();
  const manage = can(org.role, 'members:manage');
  const list = useCursorPages(keys.members(org.id), (cursor) => members.list(org.id, cursor));
  const [notice, setNotice] = useState('');
  const [generation, setGeneration] = useState(0);
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: keys.members(org.id) });

  const change = useMutation({
    mutationFn: async (action: { kind: 'role'; member: Member; role: Role } | { kind: 'remove' | 'cancel' | 'resend'; member: Member }) => {
      const member = action.member;
      if (action.kind === 'resend') {
        await account.resendInvitation(org.id, member.invitation_id ?? '');
        return `The invitation mail to ${member.email} was sent again with a new link.`;
      }
      if (action.kind === 'role') {
        await members.changeRole(org.id, member.user_id ?? '', action.role);
        return `${displayName(member)} is now ${capitalize(action.role)}.`;
      }
      if (action.kind === 'cancel') {
        await members.revokeInvitation(org.id, member.invitation_id ?? '');
        if (created?.invitation_id === member.invitation_id) setCreated(null);
        return `The invitation of ${member.email} was cancelled: its link no longer works.`;
      }
      await members.remove(org.id, member.user_id ?? '');
      return `${displayName(member)} was removed.`;
    },
    onSuccess: async (message, action) => {
      setNotice(message);
      // Changing one's own role or leaving changes what this session may do.
      if (action.member.user_id === session.user.id) setSession(await auth.me());
      await refresh();
    },
  });

  const columns: Column<Member>[] = [
    {
      header: 'Member',
      rowHeader: true,
      cell: (m) => (
        <>
          <span className="member-name">
            {displayName(m)}
            {m.user_id === session.user.id ? <span className="you"> (you)</span> : null}
          </span>
          {m.name?.trim() ? <span className="member-email">{m.email}</span> : null}
        </>
      ),
    },
    {
      header: 'Role',
      cell: (m) => (manage && m.status === 'active' ? <RoleSelect member={m} onChange={(role) => change.mutate({ kind: 'role', member: m, role })} /> : capitalize(m.role)),
    },
    { header: 'Status', cell: (m) => <span className={`badge badge-${m.status}`}>{capitalize(m.status)}</span> },
    {
      header: 'Joined',
      cell: (m) =>
        m.status === 'active' ? (
          <Time value={m.joined_at} />
        ) : (
          <>
            Invited <Time value={m.invited_at} />
            <span className="cell-note">{m.status === 'expired' ? 'expired' : 'link works until'} {formatDateTime(m.expires_at)}</span>
          </>
        ),
    },
  ];
  columns.push({
    header: 'Actions',
    className: 'actions',
    cell: (m) => {
      const self = m.user_id === session.user.id;
      if (m.status !== 'active') {
        return manage ? (
          <>
          {m.status === 'invited' ? (
            <button type="button" className="button button-small" aria-label={`Resend invitation to ${m.email}`} onClick={() => change.mutate({ kind: 'resend', member: m })}>
              Resend
            </button>
          ) : null}
          <button
            type="button"
            className="button button-small button-danger-outline"
            aria-label={`Cancel invitation of ${m.email}`}
            onClick={async () => {
              const ok = await confirm({
                title: `Cancel the invitation of ${m.email}?`,
                message: 'Its link stops working at once; you can invite them again later.',
                confirmLabel: 'Cancel invitation',
                danger: true,
              });
              if (ok) change.mutate({ kind: 'cancel', member: m });
            }}
          >
            Cancel invitation
          </button>
          </>
        ) : null;
      }
      if (!manage && !self) return null;
      return (
        <button
          type="button"
          className="button button-small button-danger-outline"
          aria-label={self ? 'Leave organization' : `Remove ${m.email}`}
          onClick={async () => {
            const ok = await confirm({
              title: self ? `Leave ${org.name}?` : `Remove ${displayName(m)}?`,
              message: self
                ? 'You lose access to this organization until someone invites you again.'
                : `${m.email} loses access to ${org.name} at once. Keys they created lose the scopes their role no longer grants.`,
              confirmLabel: self ? 'Leave organization' : 'Remove member',
              danger: true,
            });
            if (ok) change.mutate({ kind: 'remove', member: m });
          }}
        >
          {self ? 'Leave' : 'Remove'}
        </button>
      );
    },
  });

  return (
    <div className="view">
      <ScreenHeader title="Members" lead={`People with access to ${org.name} and their roles.`} />
      <p className="visually-hidden" role="status">
        {notice}
      </p>
      {manage ? (
        <Card id="invite-heading" title="Invite a member">
          <p className="hint">
            An invitation is a link that works once, until it expires: whoever opens it while signed in joins with the role you choose.
            Nobody joins until the link is used.
          </p>
          <Form
            key={generation}
            className="inline-form"
            submitLabel="Invite"
            busyLabel="Inviting…"
            onSubmit={async (values) => {
              const invited = await members.invite(org.id, formString(values, 'email').trim(), formString(values, 'role') as Role);
              setGeneration((value) => value + 1);
              setCreated(invited);
              setNotice(`Invitation for ${invited.email} created. Copy the link and send it to them.`);
              await refresh();
            }}
          >
            <TextField name="email" label="Email" type="email" required autoComplete="off" className="field-grow" />
            <SelectField name="role" label="Role" options={ROLE_OPTIONS} defaultValue="developer" />
          </Form>
          {created ? (
            <SecretPanel
              heading={`Invitation link for ${created.email}`}
              label={`Invitation link for ${created.email}`}
              secret={created.invitation_url}
              copyLabel="Copy link"
              note={`Send it to ${created.email}. It works once, until ${formatDateTime(created.expires_at)}, for whoever opens it while signed in; cancel the invitation below if it goes astray.`}
              details={[
                ['Role', capitalize(created.role)],
                ['Expires', formatDateTime(created.expires_at)],
              ]}
              dismissLabel="Done"
              onDismiss={() => setCreated(null)}
            />
          ) : null}
        </Card>
      ) : null}
      {manage ? <MfaRequirement /> : null}
      <Card id="members-heading" title="Members">
        {change.isError ? <ErrorState error={change.error} /> : null}
        <PagedTable label="Members" query={list} columns={columns} rowKey={(m) => m.user_id ?? m.invitation_id ?? m.email} loadingLabel="Loading members…" empty="No members yet." />
      </Card>
    </div>
  );
}

function RoleSelect({ member, onChange }: { member: Member; onChange(role: Role): void }) {
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        Role of {member.email}
      </label>
      <select id={id} className="select-compact" value={member.role} onChange={(event) => onChange(event.target.value as Role)}>
        {ROLE_OPTIONS.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </>
  );
}

/** Owners and admins may require two-factor authentication of the organization's owners and admins. */
function MfaRequirement() {
  const { org, session } = useOrgScreen();
  const setSession = useSetSession();
  const toggle = useMutation({
    mutationFn: (required: boolean) => account.requireMfa(org.id, required),
    onSuccess: async () => setSession(await auth.me()),
  });
  return (
    <Card id="mfa-requirement-heading" title="Two-factor authentication">
      <p>
        {org.require_mfa
          ? `Required: owners and admins of ${org.name} must have two-factor authentication to act here.`
          : `Not required. When required, owners and admins of ${org.name} without it are asked to set it up first.`}
        {!org.require_mfa && !session.user.mfa_enabled ? ' Turn it on for your own account first.' : ''}
      </p>
      <button type="button" className="button" disabled={toggle.isPending} onClick={() => toggle.mutate(!org.require_mfa)}>
        {org.require_mfa ? 'Stop requiring two-factor authentication' : 'Require two-factor authentication'}
      </button>
      {toggle.isError ? <ErrorState error={toggle.error} /> : null}
    </Card>
  );
}
