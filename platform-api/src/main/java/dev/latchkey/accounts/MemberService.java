package dev.latchkey.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.mail.MailOutbox;

/**
 * Members and invitations of an organization. People are managed in the console only, never
 * with an API key. Only owners hand out or take away the owner role, and an organization always
 * keeps at least one owner. An invitation is a single-use, expiring token: inviting an email never
 * makes an existing account a member, and never tells the inviter whether the email has one.
 */
@Service
public class MemberService {

    static final ProblemType LAST_OWNER = new ProblemType("/problems/last-owner", 409,
            "An organization needs an owner");
    static final ProblemType INVITATION_NOT_FOUND = new ProblemType("/problems/invitation-not-found", 404,
            "No such invitation");
    static final ProblemType INVITATION_UNUSABLE = new ProblemType("/problems/invitation-unusable", 410,
            "Invitation no longer valid");

    /** Invitation tokens: {@code invite_} + 43 base62 characters (256 bits) + a 6-character checksum. */
    static final String TOKEN_PREFIX = "invite_";

    private final MembershipRepository memberships;
    private final InvitationRepository invitations;
    private final UserRepository users;
    private final OrganizationRepository organizations;
    private final OrgAccess orgAccess;
    private final SecretTokens tokens;
    private final AccountThrottles throttles;
    private final AuditService audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Duration invitationLifetime;
    private final AccountSecurity security;
    private final MailOutbox mail;

    MemberService(MembershipRepository memberships, InvitationRepository invitations, UserRepository users,
            OrganizationRepository organizations, OrgAccess orgAccess, SecretTokens tokens, AccountThrottles throttles,
            AuditService audit, ApplicationEventPublisher events, Clock clock,
            AccountsProperties settings, AccountSecurity security, MailOutbox mail) {
        this.security = security;
        this.mail = mail;
        this.memberships = memberships;
        this.invitations = invitations;
        this.users = users;
        this.organizations = organizations;
        this.orgAccess = orgAccess;
        this.tokens = tokens;
        this.throttles = throttles;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
        this.invitationLifetime = settings.invitationLifetime();
    }

    /** The members; open invitations too, for those who manage people (they alone see the invited emails). */
    @Transactional(readOnly = true)
    public List<MemberView> list(Caller caller, UUID orgId) {
        Role role = orgAccess.require(caller, orgId, Permission.MEMBERS_READ).orElse(null);
        List<Membership> orgMemberships = memberships.findByOrg(orgId);
        Map<UUID, User> byId = users.findAllById(orgMemberships.stream().map(Membership::userId).toList()).stream()
                .collect(Collectors.toMap(User::id, Function.identity()));
        List<MemberView> members = new ArrayList<>();
        orgMemberships.forEach(m -> members.add(MemberView.of(m, byId.get(m.userId()))));
        if (role != null && Permission.MEMBERS_MANAGE.grantedTo(role)) {
            members.addAll(openInvitations(orgId));
        }
        return members;
    }

    /** The invitations neither accepted nor revoked (pending or expired), oldest first. */
    @Transactional(readOnly = true)
    public List<MemberView> invitations(Caller caller, UUID orgId) {
        orgAccess.require(caller, orgId, Permission.MEMBERS_MANAGE);
        return openInvitations(orgId);
    }

    /**
     * Invites someone: a new single-use token, valid for the invitation lifetime, shown only
     * here. The same answer whether or not the email has an account; nobody joins until the
     * token is presented.
     */
    @Transactional
    public CreatedInvitation invite(Caller caller, UUID orgId, String email, Role role, String acceptBaseUrl) {
        Role callerRole = orgAccess.require(caller, orgId, Permission.MEMBERS_MANAGE).orElseThrow();
        requireMayGrant(callerRole, role);
        Caller.User inviter = (Caller.User) caller;
        security.requireVerifiedEmail(inviter, orgId, "members_invite");
        throttles.require(AccountThrottles.Action.INVITATION, inviter.userId().toString());
        organizations.lockById(orgId).orElseThrow(OrgAccess::organizationNotFound);
        String trimmed = email.trim();
        if (memberships.existsByOrgAndEmail(orgId, trimmed)) {
            // Members' emails are in the member list every member reads: this tells nothing new.
            throw new LatchkeyException(ProblemType.CONFLICT, "Someone with this email is already a member");
        }
        Instant now = clock.instant();
        Invitation open = invitations.findOpenByOrgAndEmail(orgId, trimmed).orElse(null);
        if (open != null && open.state(now) == Invitation.State.PENDING) {
            throw new LatchkeyException(ProblemType.CONFLICT, "This email already has a pending invitation; revoke it"
                    + " (DELETE /v1/orgs/" + orgId + "/invitations/" + open.id() + ") to make a new link");
        }
        if (open != null) {
            // An expired invitation gives way to the new one; the audit log keeps its history.
            invitations.delete(open);
            invitations.flush();
        }
        String token = tokens.generate(TOKEN_PREFIX);
        Invitation invitation = invitations.save(new Invitation(UUID.randomUUID(), orgId, trimmed, role,
                inviter.userId(), tokens.hash(token), now, now.plus(invitationLifetime)));
        audit.record(AuditEvent.success("membership.invited").by(caller).org(orgId)
                .target("invitation", invitation.id()).detail("role", role.value())
                .detail("expires_at", invitation.expiresAt().toString()).build());
        mail.enqueue(AccountMails.INVITATION, invitation.email(), Map.of("invitation_id", invitation.id().toString()));
        return new CreatedInvitation(invitation.id(), invitation.email(), role.value(), "invited",
                invitation.createdAt(), invitation.expiresAt(), token, acceptBaseUrl + token);
    }

    /** What the token's invitation offers: the organization's name and the role. */
    @Transactional(readOnly = true)
    public InvitationPreview preview(Caller.User user, String token) {
        throttles.require(AccountThrottles.Action.INVITATION_ACCEPTANCE, user.userId().toString());
        Invitation invitation = usable(invitations.findByTokenHash(hash(token)).orElseThrow(
                MemberService::invitationNotFound));
        Organization organization = organizations.findById(invitation.orgId()).orElseThrow(
                MemberService::invitationNotFound);
        return new InvitationPreview(organization.id(), organization.name(), invitation.role().value(),
                invitation.expiresAt());
    }

    /**
     * The signed-in user joins with the invited role, whatever their email: the token is the
     * proof. The token is used up; a second use, an expired or a revoked one is refused.
     */
    @Transactional
    public OrganizationView accept(Caller.User user, String token) {
        throttles.require(AccountThrottles.Action.INVITATION_ACCEPTANCE, user.userId().toString());
        return join(user.userId(), token);
    }

    /** A new account joins with the invitation it signed up with (throttled as a signup). */
    OrganizationView acceptAsNewAccount(UUID userId, String token) {
        return join(userId, token);
    }

    /**
     * Sends the invitation's mail again, with a new link (the previously mailed one stops working;
     * the inviter's own link keeps working). Owners and admins, pending invitations only.
     */
    @Transactional
    public void resendInvitation(Caller caller, UUID orgId, UUID invitationId) {
        orgAccess.require(caller, orgId, Permission.MEMBERS_MANAGE);
        Caller.User inviter = (Caller.User) caller;
        throttles.require(AccountThrottles.Action.INVITATION, inviter.userId().toString());
        Invitation invitation = invitations.findById(invitationId)
                .filter(i -> i.orgId().equals(orgId))
                .filter(i -> i.state(clock.instant()) != Invitation.State.ACCEPTED
                        && i.state(clock.instant()) != Invitation.State.REVOKED)
                .orElseThrow(() -> LatchkeyException.notFound("Invitation"));
        if (invitation.state(clock.instant()) == Invitation.State.EXPIRED) {
            throw new LatchkeyException(INVITATION_UNUSABLE, "This invitation expired at " + invitation.expiresAt()
                    + "; invite the email again for a new one");
        }
        mail.enqueue(AccountMails.INVITATION, invitation.email(), Map.of("invitation_id", invitation.id().toString()));
        audit.record(AuditEvent.success("membership.invitation_resent").by(caller).org(orgId)
                .target("invitation", invitationId).build());
    }

    private OrganizationView join(UUID userId, String token) {
        byte[] hash = hash(token);
        // The organization first, then the invitation: the order every membership change locks in.
        UUID orgId = invitations.findOrgIdByTokenHash(hash).orElseThrow(MemberService::invitationNotFound);
        Organization organization = organizations.lockById(orgId).orElseThrow(MemberService::invitationNotFound);
        Invitation invitation = usable(invitations.lockByTokenHash(hash).orElseThrow(
                MemberService::invitationNotFound));
        if (organization.suspended()) {
            throw OrgAccess.suspended();
        }
        if (memberships.existsById(new Membership.Id(organization.id(), userId))) {
            throw new LatchkeyException(ProblemType.CONFLICT, "You are already a member of this organization;"
                    + " the invitation stays open for the person it was meant for");
        }
        Instant now = clock.instant();
        Role role = invitation.role();
        memberships.save(new Membership(organization.id(), userId, role, now));
        invitation.accept(userId, now);
        audit.record(AuditEvent.success("membership.invitation_accepted").byUser(userId)
                .org(organization.id()).target("user", userId).detail("role", role.value())
                .detail("invitation", invitation.id().toString()).build());
        return OrganizationView.of(organization, role);
    }

    @Transactional
    public MemberView changeRole(Caller caller, UUID orgId, UUID userId, Role role) {
        Role callerRole = orgAccess.require(caller, orgId, Permission.MEMBERS_MANAGE).orElseThrow();
        organizations.lockById(orgId).orElseThrow(OrgAccess::organizationNotFound);
        Membership membership = membership(orgId, userId);
        Role previous = membership.role();
        requireMayGrant(callerRole, previous);
        requireMayGrant(callerRole, role);
        if (previous == Role.OWNER && role != Role.OWNER && memberships.countOwners(orgId) <= 1) {
            throw new LatchkeyException(LAST_OWNER, "The last owner cannot be demoted; make another member owner first");
        }
        membership.changeRole(role);
        audit.record(AuditEvent.success("membership.role_changed").by(caller).org(orgId).target("user", userId)
                .detail("from", previous.value()).detail("to", role.value()).build());
        if (previous != role) {
            memberships.flush();
            revokeInvitationsBeyond(caller, orgId, userId, role, "inviter_role_changed");
            events.publishEvent(new MembershipChanged(orgId, userId, previous, role, caller));
        }
        return MemberView.of(membership, users.findById(userId).orElseThrow());
    }

    /**
     * Removes a member; members may always remove themselves (leave), the last owner excepted.
     * Allowed in a suspended organization too: it only takes access away.
     */
    @Transactional
    public void remove(Caller caller, UUID orgId, UUID userId) {
        boolean leaving = caller instanceof Caller.User user && user.userId().equals(userId);
        Role callerRole = orgAccess.requireToRestrict(caller, orgId,
                leaving ? Permission.ORG_READ : Permission.MEMBERS_MANAGE).orElseThrow();
        organizations.lockById(orgId).orElseThrow(OrgAccess::organizationNotFound);
        Membership membership = membership(orgId, userId);
        if (!leaving) {
            requireMayGrant(callerRole, membership.role());
        }
        if (membership.role() == Role.OWNER && memberships.countOwners(orgId) <= 1) {
            throw new LatchkeyException(LAST_OWNER, "The last owner cannot leave; make another member owner first");
        }
        memberships.delete(membership);
        memberships.flush();
        audit.record(AuditEvent.success(leaving ? "membership.left" : "membership.removed").by(caller).org(orgId)
                .target("user", userId).detail("role", membership.role().value()).build());
        revokeInvitationsBeyond(caller, orgId, userId, null, "inviter_removed");
        events.publishEvent(new MembershipChanged(orgId, userId, membership.role(), null, caller));
    }

    /** Revokes an open invitation: its token no longer works. Allowed in a suspended organization too. */
    @Transactional
    public void revokeInvitation(Caller caller, UUID orgId, UUID invitationId) {
        orgAccess.requireToRestrict(caller, orgId, Permission.MEMBERS_MANAGE);
        Invitation invitation = invitations.findById(invitationId)
                .filter(i -> i.orgId().equals(orgId))
                .filter(i -> i.state(clock.instant()) == Invitation.State.PENDING
                        || i.state(clock.instant()) == Invitation.State.EXPIRED)
                .orElseThrow(() -> LatchkeyException.notFound("Invitation"));
        invitation.revoke(clock.instant());
        audit.record(AuditEvent.success("membership.invitation_cancelled").by(caller).org(orgId)
                .target("invitation", invitationId).build());
    }

    /**
     * A member who lost the right to invite (or left) takes their open invitations with them:
     * all of them when they may no longer manage people, those for the owner role when they are
     * no longer an owner.
     */
    private void revokeInvitationsBeyond(Caller caller, UUID orgId, UUID inviterId, Role role, String reason) {
        Instant now = clock.instant();
        for (Invitation invitation : invitations.findOpenByInviter(orgId, inviterId)) {
            boolean mayStillInvite = role != null && Permission.MEMBERS_MANAGE.grantedTo(role)
                    && (invitation.role() != Role.OWNER || role == Role.OWNER);
            if (!mayStillInvite) {
                invitation.revoke(now);
                audit.record(AuditEvent.success("membership.invitation_cancelled").by(caller).org(orgId)
                        .target("invitation", invitation.id()).detail("reason", reason).build());
            }
        }
    }

    private List<MemberView> openInvitations(UUID orgId) {
        Instant now = clock.instant();
        return invitations.findOpenByOrg(orgId).stream().map(i -> MemberView.of(i, now)).toList();
    }

    private byte[] hash(String token) {
        return tokens.hash(tokens.parse(TOKEN_PREFIX, token == null ? null : token.trim())
                .orElseThrow(MemberService::invitationNotFound));
    }

    private Invitation usable(Invitation invitation) {
        Instant now = clock.instant();
        return switch (invitation.state(now)) {
            case PENDING -> invitation;
            case ACCEPTED -> throw new LatchkeyException(INVITATION_UNUSABLE,
                    "This invitation was already used; an invitation works once. Ask for a new one");
            case REVOKED -> throw new LatchkeyException(INVITATION_UNUSABLE,
                    "This invitation was revoked. Ask for a new one");
            case EXPIRED -> throw new LatchkeyException(INVITATION_UNUSABLE,
                    "This invitation expired at " + invitation.expiresAt() + ". Ask for a new one");
        };
    }

    private static LatchkeyException invitationNotFound() {
        return new LatchkeyException(INVITATION_NOT_FOUND,
                "No invitation has this token; check that the whole link was copied, or ask for a new one");
    }

    private Membership membership(UUID orgId, UUID userId) {
        return memberships.findById(new Membership.Id(orgId, userId))
                .orElseThrow(() -> LatchkeyException.notFound("Member"));
    }

    /** Admins manage everyone but owners; the owner role is the owners' to give and take. */
    private static void requireMayGrant(Role callerRole, Role role) {
        if (role == Role.OWNER && callerRole != Role.OWNER) {
            throw new LatchkeyException(ProblemType.FORBIDDEN, "Only owners can grant, change or remove the owner role");
        }
    }
}
