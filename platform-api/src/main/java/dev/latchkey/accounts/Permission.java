package dev.latchkey.accounts;

import java.util.EnumSet;
import java.util.Set;

import static dev.latchkey.accounts.Role.ADMIN;
import static dev.latchkey.accounts.Role.BILLING;
import static dev.latchkey.accounts.Role.DEVELOPER;
import static dev.latchkey.accounts.Role.OWNER;
import static dev.latchkey.accounts.Role.VIEWER;

/**
 * What a caller may do inside an organization: the roles that grant it to console users and
 * the API key scope that grants it to apps (the {@code admin} scope grants every permission that
 * has a scope at all).
 */
public enum Permission {
    ORG_READ("usage:read", EnumSet.allOf(Role.class)),
    ORG_MANAGE("admin", EnumSet.of(OWNER, ADMIN)),
    /** Deleting an organization shreds its keys: owners only, never an API key. */
    ORG_DELETE(null, EnumSet.of(OWNER)),
    MEMBERS_READ("admin", EnumSet.allOf(Role.class)),
    MEMBERS_MANAGE("admin", EnumSet.of(OWNER, ADMIN)),
    API_KEYS_READ("admin", EnumSet.of(OWNER, ADMIN, DEVELOPER, VIEWER)),
    API_KEYS_MANAGE("admin", EnumSet.of(OWNER, ADMIN, DEVELOPER)),
    CREDENTIALS_READ("admin", EnumSet.of(OWNER, ADMIN, DEVELOPER, VIEWER)),
    CREDENTIALS_MANAGE("admin", EnumSet.of(OWNER, ADMIN, DEVELOPER)),
    POLICIES_MANAGE("admin", EnumSet.of(OWNER, ADMIN, DEVELOPER)),
    USAGE_READ("usage:read", EnumSet.allOf(Role.class)),
    AUDIT_READ("admin", EnumSet.of(OWNER, ADMIN));

    public static final String ADMIN_SCOPE = "admin";

    /**
     * What members of a suspended organization may still do: read everything (and export it).
     * Any other permission is refused with {@code /problems/org-suspended}, except actions that
     * only take access away (see {@link OrgAccess#requireToRestrict}).
     */
    private static final Set<Permission> ALLOWED_WHILE_SUSPENDED = EnumSet.of(ORG_READ, MEMBERS_READ, API_KEYS_READ,
            CREDENTIALS_READ, USAGE_READ, AUDIT_READ);

    private final String scope;
    private final Set<Role> roles;

    Permission(String scope, Set<Role> roles) {
        this.scope = scope;
        this.roles = roles;
    }

    public boolean grantedTo(Role role) {
        return roles.contains(role);
    }

    public boolean allowedWhileSuspended() {
        return ALLOWED_WHILE_SUSPENDED.contains(this);
    }

    /** A permission without a scope is for console users only. */
    public boolean grantedTo(Set<String> scopes) {
        return scope != null && (scopes.contains(ADMIN_SCOPE) || scopes.contains(scope));
    }
}
