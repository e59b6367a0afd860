package dev.latchkey.accounts;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.web.Caller;
import dev.latchkey.web.LatchkeyException;
import dev.latchkey.web.ProblemType;

/**
 * Members and invitations of an organization. Only owners hand out or take away the owner
 * role, and an organization always keeps at least one owner.
 */
@Service
public class MemberService {

    static final ProblemType LAST_OWNER = new ProblemType("/problems/last-owner", 409,
            "An organization needs an owner");

    private final MembershipRepository memberships;
    private final InvitationRepository invitations;
    private final UserRepository users;
    private final OrganizationRepository organizations;
    private final OrgAccess orgAccess;
    private final AuditService audit;
    private final Clock clock;

    MemberService(MembershipRepository memberships, InvitationRepository invitations, UserRepository users,
            OrganizationRepository organizations, OrgAccess orgAccess, AuditService audit, Clock clock) {
        this.memberships = memberships;
        this.invitations = invitations;
        this.users = users;
        this.organizations = organizations;
        this.orgAccess = orgAccess;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<MemberView> list(Caller caller, UUID orgId) {
        orgAccess.require(caller, orgId, Permission.MEMBERS_READ);
        List<Membership> orgMemberships = memberships.findByOrg(orgId);
        Map<UUID, User> byId = users.findAllById(orgMemberships.stream().map(Membership::userId).toList()).stream()
                .collect(Collectors.toMap(User::id, Function.identity()));
        List<MemberView> members = new ArrayList<>();
        orgMemberships.forEach(m -> members.add(MemberView.of(m, byId.get(m.userId()))));
        invitations.findByOrg(orgId).forEach(i -> members.add(MemberView.of(i)));
        return members;
    }

    /** Adds an existing account at once; an email without an account gets an invitation. */
    @Transactional
    public MemberView add(Caller caller, UUID orgId, String email, Role role) {
        Role callerRole = orgAccess.require(caller, orgId, Permission.MEMBERS_MANAGE).orElse(null);
        requireMayGrant(callerRole, role);
        organizations.lockById(orgId).orElseThrow(OrgAccess::organizationNotFound);
        String trimmed = email.trim();
        User user = users.findByEmail(trimmed).orElse(null);
        if (user == null) {
            if (invitations.existsByOrgAndEmail(orgId, trimmed)) {
                throw new LatchkeyException(ProblemType.CONFLICT, "This email is already invited");
            }
            Invitation invitation = invitations.save(new Invitation(UUID.randomUUID(), orgId, trimmed, role,
                    actorUserId(caller), clock.instant()));
            audit.record(AuditEvent.success("membership.invited").by(caller).org(orgId)
                    .target("invitation", invitation.id()).detail("role", role.value()).build());
            return MemberView.of(invitation);
        }
        if (memberships.existsById(new Membership.Id(orgId, user.id()))) {
            throw new LatchkeyException(ProblemType.CONFLICT, "This user is already a member");
        }
        Membership membership = memberships.save(new Membership(orgId, user.id(), role, clock.instant()));
        audit.record(AuditEvent.success("membership.added").by(caller).org(orgId).target("user", user.id())
                .detail("role", role.value()).build());
        return MemberView.of(membership, user);
    }

    @Transactional
    public MemberView changeRole(Caller caller, UUID orgId, UUID userId, Role role) {
        Role callerRole = orgAccess.require(caller, orgId, Permission.MEMBERS_MANAGE).orElse(null);
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
                leaving ? Permission.ORG_READ : Permission.MEMBERS_MANAGE).orElse(null);
        organizations.lockById(orgId).orElseThrow(OrgAccess::organizationNotFound);
        Membership membership = membership(orgId, userId);
        if (!leaving) {
            requireMayGrant(callerRole, membership.role());
        }
        if (membership.role() == Role.OWNER && memberships.countOwners(orgId) <= 1) {
            throw new LatchkeyException(LAST_OWNER, "The last owner cannot leave; make another member owner first");
        }
        memberships.delete(membership);
        audit.record(AuditEvent.success(leaving ? "membership.left" : "membership.removed").by(caller).org(orgId)
                .target("user", userId).detail("role", membership.role().value()).build());
    }

    @Transactional
    public void cancelInvitation(Caller caller, UUID orgId, UUID invitationId) {
        orgAccess.requireToRestrict(caller, orgId, Permission.MEMBERS_MANAGE);
        Invitation invitation = invitations.findById(invitationId)
                .filter(i -> i.orgId().equals(orgId))
                .orElseThrow(() -> LatchkeyException.notFound("Invitation"));
        invitations.delete(invitation);
        audit.record(AuditEvent.success("membership.invitation_cancelled").by(caller).org(orgId)
                .target("invitation", invitationId).build());
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

    private static UUID actorUserId(Caller caller) {
        return caller instanceof Caller.User user ? user.userId() : null;
    }
}
