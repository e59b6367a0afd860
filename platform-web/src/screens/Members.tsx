import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { auth } from '../api/endpoints';
import { members } from '../api/members';
import { keys } from '../api/queryKeys';
import { ROLES, type Member, type Role } from '../api/schema';
import { useOrgScreen, useTitle } from '../context';
import { capitalize } from '../lib/format';
import { useCursorPages } from '../lib/paging';
import { can } from '../lib/permissions';
import { useSetSession } from '../session';
import { useConfirm } from '../ui/Dialog';
import { Form, SelectField, TextField, formString } from '../ui/Form';
import { PagedTable, type Column } from '../ui/PagedTable';
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
  const refresh = () => client.invalidateQueries({ queryKey: keys.members(org.id) });

  const change = useMutation({
    mutationFn: async (action: { kind: 'role'; member: Member; role: Role } | { kind: 'remove' | 'cancel'; member: Member }) => {
      const member = action.member;
      if (action.kind === 'role') {
        await members.changeRole(org.id, member.user_id ?? '', action.role);
        return `${displayName(member)} is now ${capitalize(action.role)}.`;
      }
      if (action.kind === 'cancel') {
        await members.cancelInvitation(org.id, member.invitation_id ?? '');
        return `The invitation of ${member.email} was cancelled.`;
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
    { header: 'Joined', cell: (m) => (m.status === 'invited' ? 'Pending sign-up' : <Time value={m.joined_at} />) },
  ];
  columns.push({
    header: 'Actions',
    className: 'actions',
    cell: (m) => {
      const self = m.user_id === session.user.id;
      if (m.status === 'invited') {
        return manage ? (
          <button
            type="button"
            className="button button-small button-danger-outline"
            aria-label={`Cancel invitation of ${m.email}`}
            onClick={async () => {
              const ok = await confirm({
                title: `Cancel the invitation of ${m.email}?`,
                message: 'They can no longer join with it; you can invite them again later.',
                confirmLabel: 'Cancel invitation',
                danger: true,
              });
              if (ok) change.mutate({ kind: 'cancel', member: m });
            }}
          >
            Cancel invitation
          </button>
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
          <Form
            key={generation}
            className="inline-form"
            submitLabel="Invite"
            busyLabel="Inviting…"
            onSubmit={async (values) => {
              const invited = await members.invite(org.id, formString(values, 'email').trim(), formString(values, 'role') as Role);
              setGeneration((value) => value + 1);
              setNotice(
                invited.status === 'invited'
                  ? `Invitation recorded for ${invited.email}: they join when they sign up with that email.`
                  : `${displayName(invited)} was added as ${capitalize(invited.role)}.`,
              );
              await refresh();
            }}
          >
            <TextField name="email" label="Email" type="email" required autoComplete="off" className="field-grow" />
            <SelectField name="role" label="Role" options={ROLE_OPTIONS} defaultValue="developer" />
          </Form>
          {notice ? <p className="alert alert-info">{notice}</p> : null}
        </Card>
      ) : null}
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
