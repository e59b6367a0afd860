package dev.latchkey.accounts;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.latchkey.accounts.Role.ADMIN;
import static dev.latchkey.accounts.Role.DEVELOPER;
import static dev.latchkey.accounts.Role.OWNER;
import static dev.latchkey.accounts.Role.VIEWER;

/**
 * What a caller may do inside an organization: the roles that grant it to console users and
 * the API key scope that grants it to apps (the {@code admin} scope grants every permission that
 * has a scope at all). A permission without a scope is the console's alone: people, ownership
 * and the organization's settings are never managed with an API key.
 */
public enum Permission {
    ORG_READ("usage:read", EnumSet.allOf(Role.class)),
    /** Renaming, allowed origins, webhook endpoints: the organization's settings. */
    ORG_MANAGE(null, EnumSet.of(OWNER, ADMIN)),
    /** Deleting an organization shreds its keys: owners only, never an API key. */
    ORG_DELETE(null, EnumSet.of(OWNER)),
    MEMBERS_READ("admin", EnumSet.allOf(Role.class)),
    /** Inviting, changing roles, removing members, seeing and revoking pending invitations. */
    MEMBERS_MANAGE(null, EnumSet.of(OWNER, ADMIN)),
    API_KEYS_READ("admin", EnumSet.of(OWNER, ADMIN, DEVELOPER, VIEWER)),
    API_KEYS_MANAGE("admin", EnumSet.of(OWNER, ADMIN, DEVELOPER)),
    CREDENTIALS_READ("admin", EnumSet.of(OWNER, ADMIN, DEVELOPER, VIEWER)),
    CREDENTIALS_MANAGE("admin", EnumSet.of(OWNER, ADMIN, DEVELOPER)),
    POLICIES_MANAGE("admin", EnumSet.of(OWNER, ADMIN, DEVELOPER)),
    USAGE_READ("usage:read", EnumSet.allOf(Role.class)),
    AUDIT_READ("admin", EnumSet.of(OWNER, ADMIN)),
    /*
     * The broker's scopes. The broker checks them on the key itself; here they say which roles
     * may put them on a key (console users never broker).
     */
    TOKENS_MINT("tokens:mint", EnumSet.of(OWNER, ADMIN, DEVELOPER)),
    SESSIONS_MINT("sessions:mint", EnumSet.of(OWNER, ADMIN, DEVELOPER)),
    ROOMS_WRITE("rooms:write", EnumSet.of(OWNER, ADMIN, DEVELOPER));

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

    /** Adding credentials and creating keys need a verified email while verification is required. */
    public boolean needsVerifiedEmail() {
        return this == CREDENTIALS_MANAGE || this == API_KEYS_MANAGE;
    }

    public boolean allowedWhileSuspended() {
        return ALLOWED_WHILE_SUSPENDED.contains(this);
    }

    /** A permission without a scope is for console users only. */
    public boolean grantedTo(Set<String> scopes) {
        return scope != null && (scopes.contains(ADMIN_SCOPE) || scopes.contains(scope));
    }

    /** Whether no API key may ever be granted this: people, ownership and settings. */
    public boolean consoleOnly() {
        return scope == null;
    }

    /** Every scope an API key may carry, as these permissions know them. */
    public static Set<String> keyScopes() {
        Set<String> scopes = Arrays.stream(values()).map(p -> p.scope).filter(Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new));
        scopes.add(ADMIN_SCOPE);
        return Set.copyOf(scopes);
    }

    private static final Map<Role, Set<String>> SCOPES_BY_ROLE = scopesByRole();

    /**
     * The scopes a member of the role may put on a key: those whose every permission the role
     * holds itself. {@code admin} grants every permission that has a scope, so only roles that
     * hold all of them may grant it.
     */
    static Set<String> scopesHeldBy(Role role) {
        return SCOPES_BY_ROLE.get(role);
    }

    private static Map<Role, Set<String>> scopesByRole() {
        Map<Role, Set<String>> byRole = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            Set<String> held = new TreeSet<>();
            for (String scope : keyScopes()) {
                boolean all = Arrays.stream(values())
                        .filter(p -> p.scope != null && (scope.equals(ADMIN_SCOPE) || scope.equals(p.scope)))
                        .allMatch(p -> p.grantedTo(role));
                if (all) {
                    held.add(scope);
                }
            }
            byRole.put(role, Set.copyOf(held));
        }
        return byRole;
    }
}
