package dev.latchkey.accounts;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.web.Caller;
import dev.latchkey.web.LatchkeyException;
import dev.latchkey.web.ProblemType;

/**
 * The tenancy check every org-scoped endpoint makes first. A caller outside the organization
 * gets 404, exactly as if it did not exist; a member without the permission gets 403.
 */
@Service
public class OrgAccess {

    private final MembershipRepository memberships;

    OrgAccess(MembershipRepository memberships) {
        this.memberships = memberships;
    }

    /** Returns the console user's role, or empty for an API key of the organization. */
    @Transactional(readOnly = true)
    public Optional<Role> require(Caller caller, UUID orgId, Permission permission) {
        if (caller instanceof Caller.ApiKey key) {
            if (!key.orgId().equals(orgId)) {
                throw organizationNotFound();
            }
            if (!permission.grantedTo(key.scopes())) {
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
            throw new LatchkeyException(ProblemType.FORBIDDEN,
                    "The role " + role.value() + " does not allow " + describe(permission));
        }
        return Optional.of(role);
    }

    static LatchkeyException organizationNotFound() {
        return LatchkeyException.notFound("Organization");
    }

    private static String describe(Permission permission) {
        return permission.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
