package dev.latchkey.accounts;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;

/**
 * The tenancy check every org-scoped endpoint makes first. A caller outside the organization
 * gets 404, exactly as if it did not exist; a member without the permission gets 403. In a
 * suspended organization only reads pass (and actions that take access away, through
 * {@link #requireToRestrict}); anything else gets 403 {@code /problems/org-suspended}.
 */
@Service
public class OrgAccess {

    /** The organization is suspended by a platform admin: its keys are refused, its members may only read. */
    public static final ProblemType ORG_SUSPENDED = new ProblemType("/problems/org-suspended", 403,
            "Organization suspended");

    private final MembershipRepository memberships;
    private final OrganizationRepository organizations;
    private final UserRepository users;
    private final AccountSecurity security;
    private final AuditService audit;

    OrgAccess(MembershipRepository memberships, OrganizationRepository organizations, UserRepository users,
            AccountSecurity security, AuditService audit) {
        this.memberships = memberships;
        this.organizations = organizations;
        this.users = users;
        this.security = security;
        this.audit = audit;
    }

    /** Returns the console user's role, or empty for an API key of the organization. */
    @Transactional(readOnly = true)
    public Optional<Role> require(Caller caller, UUID orgId, Permission permission) {
        Optional<Role> role = requireMember(caller, orgId, permission);
        if (!permission.allowedWhileSuspended() && suspended(orgId)) {
            recordDenial(caller, orgId, permission, "organization_suspended");
            throw suspended();
        }
        if (permission.needsVerifiedEmail() && caller instanceof Caller.User user) {
            security.requireVerifiedEmail(user, orgId, describe(permission).replace(' ', '_'));
        }
        return role;
    }

    /**
     * As {@link #require}, for actions that only take access away (revoking an API key, removing
     * a member, cancelling an invitation): members may do them in a suspended organization too.
     */
    @Transactional(readOnly = true)
    public Optional<Role> requireToRestrict(Caller caller, UUID orgId, Permission permission) {
        return requireMember(caller, orgId, permission);
    }

    /**
     * The user's role as committed now, held until the caller's transaction ends: a role change
     * or removal of that member waits for it. For work that must not outlive a demotion it did
     * not see, such as granting a key the member's scopes.
     */
    @Transactional
    public Optional<Role> lockRoleOf(UUID orgId, UUID userId) {
        return memberships.lockRole(orgId, userId).map(role -> Role.parse(role).orElseThrow());
    }

    /** The user's role in the organization, or empty when they are not a member. */
    @Transactional(readOnly = true)
    public Optional<Role> roleOf(UUID orgId, UUID userId) {
        return memberships.findById(new Membership.Id(orgId, userId)).map(Membership::role);
    }

    private Optional<Role> requireMember(Caller caller, UUID orgId, Permission permission) {
        if (caller instanceof Caller.ApiKey key) {
            if (!key.orgId().equals(orgId)) {
                throw organizationNotFound();
            }
            if (permission.consoleOnly()) {
                recordDenial(caller, orgId, permission, "console_only");
                throw new LatchkeyException(ProblemType.FORBIDDEN, "Only console users may do this ("
                        + describe(permission) + "): an API key never manages people, ownership or the"
                        + " organization's settings");
            }
            if (!permission.grantedTo(key)) {
                recordDenial(caller, orgId, permission, "scope");
                throw new LatchkeyException(ProblemType.FORBIDDEN,
                        "This API key's scopes do not allow " + describe(permission));
            }
            return Optional.empty();
        }
        Caller.User user = (Caller.User) caller;
        Role role = memberships.findById(new Membership.Id(orgId, user.userId()))
                .map(Membership::role)
                .orElseThrow(OrgAccess::organizationNotFound);
        if (!permission.grantedTo(role)) {
            recordDenial(caller, orgId, permission, "role");
            throw new LatchkeyException(ProblemType.FORBIDDEN,
                    "The role " + role.value() + " does not allow " + describe(permission));
        }
        requireMfaWhereRequired(user, orgId, role, permission);
        return Optional.of(role);
    }

    /**
     * An organization that requires two-factor authentication of its owners and admins lets them
     * act in it (read included) only once they have it: they are asked to enrol first.
     */
    private void requireMfaWhereRequired(Caller.User user, UUID orgId, Role role, Permission permission) {
        if (role != Role.OWNER && role != Role.ADMIN) {
            return;
        }
        boolean required = organizations.findById(orgId).map(Organization::requireMfa).orElse(false);
        if (required && !users.findById(user.userId()).map(User::mfaEnabled).orElse(false)) {
            recordDenial(user, orgId, permission, "mfa_required");
            throw new LatchkeyException(AccountProblems.MFA_ENROLMENT_REQUIRED, "This organization requires two-factor"
                    + " authentication of its owners and admins: turn it on for your account first"
                    + " (POST /v1/me/mfa/totp), then act here");
        }
    }

    /**
     * A member refused an action is on record ({@code access.denied}); the refusal rolls the
     * transaction back, so the record is written after it. Callers outside the organization are
     * not recorded: to them it does not exist.
     */
    private void recordDenial(Caller caller, UUID orgId, Permission permission, String reason) {
        audit.recordAfterCompletion(AuditEvent.denied("access.denied").by(caller).org(orgId)
                .target("organization", orgId).detail("permission", describe(permission).replace(' ', '_'))
                .detail("reason", reason).build());
    }

    private boolean suspended(UUID orgId) {
        return organizations.findById(orgId).map(o -> Organization.SUSPENDED.equals(o.status())).orElse(false);
    }

    static LatchkeyException suspended() {
        return new LatchkeyException(ORG_SUSPENDED, "The organization is suspended: its members can read and export"
                + " its data, revoke keys and remove members, but not change anything else until a platform admin"
                + " resumes it");
    }

    static LatchkeyException organizationNotFound() {
        return LatchkeyException.notFound("Organization");
    }

    private static String describe(Permission permission) {
        return permission.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
