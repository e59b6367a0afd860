package dev.latchkey.accounts;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.Scope;

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
    ORG_READ(Scope.USAGE_READ, EnumSet.allOf(Role.class)),
    /** Renaming, allowed origins, webhook endpoints: the organization's settings. */
    ORG_MANAGE(null, EnumSet.of(OWNER, ADMIN)),
    /** Deleting an organization shreds its keys: owners only, never an API key. */
    ORG_DELETE(null, EnumSet.of(OWNER)),
    MEMBERS_READ(Scope.ADMIN, EnumSet.allOf(Role.class)),
    /** Inviting, changing roles, removing members, seeing and revoking pending invitations. */
    MEMBERS_MANAGE(null, EnumSet.of(OWNER, ADMIN)),
    API_KEYS_READ(Scope.ADMIN, EnumSet.of(OWNER, ADMIN, DEVELOPER, VIEWER)),
    API_KEYS_MANAGE(Scope.ADMIN, EnumSet.of(OWNER, ADMIN, DEVELOPER)),
    CREDENTIALS_READ(Scope.ADMIN, EnumSet.of(OWNER, ADMIN, DEVELOPER, VIEWER)),
    CREDENTIALS_MANAGE(Scope.ADMIN, EnumSet.of(OWNER, ADMIN, DEVELOPER)),
    POLICIES_MANAGE(Scope.ADMIN, EnumSet.of(OWNER, ADMIN, DEVELOPER)),
    USAGE_READ(Scope.USAGE_READ, EnumSet.allOf(Role.class)),
    AUDIT_READ(Scope.ADMIN, EnumSet.of(OWNER, ADMIN)),
    /*
     * The broker's scopes. The broker checks them on the key itself; here they say which roles
     * may put them on a key (console users never broker).
     */
    TOKENS_MINT(Scope.TOKENS_MINT, EnumSet.of(OWNER, ADMIN, DEVELOPER)),
    SESSIONS_MINT(Scope.SESSIONS_MINT, EnumSet.of(OWNER, ADMIN, DEVELOPER)),
    ROOMS_WRITE(Scope.ROOMS_WRITE, EnumSet.of(OWNER, ADMIN, DEVELOPER));


    /**
     * What members of a suspended organization may still do: read everything (and export it).
     * Any other permission is refused with {@code /problems/org-suspended}, except actions that
     * only take access away (see {@link OrgAccess#requireToRestrict}).
     */
    private static final Set<Permission> ALLOWED_WHILE_SUSPENDED = EnumSet.of(ORG_READ, MEMBERS_READ, API_KEYS_READ,
            CREDENTIALS_READ, USAGE_READ, AUDIT_READ);

    private final Scope scope;
    private final Set<Role> roles;

    Permission(Scope scope, Set<Role> roles) {
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
    public boolean grantedTo(Caller.ApiKey key) {
        return scope != null && key.holds(scope);
    }

    /** Whether no API key may ever be granted this: people, ownership and settings. */
    public boolean consoleOnly() {
        return scope == null;
    }

    /** Every scope an API key may carry, as these permissions know them. */
    public static Set<Scope> keyScopes() {
        Set<Scope> scopes = Arrays.stream(values()).map(p -> p.scope).filter(Objects::nonNull)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class)));
        scopes.add(Scope.ADMIN);
        return Set.copyOf(scopes);
    }

    private static final Map<Role, Set<Scope>> SCOPES_BY_ROLE = scopesByRole();

    /**
     * The scopes a member of the role may put on a key: those whose every permission the role
     * holds itself. {@code admin} grants every permission that has a scope, so only roles that
     * hold all of them may grant it.
     */
    static Set<Scope> scopesHeldBy(Role role) {
        return SCOPES_BY_ROLE.get(role);
    }

    private static Map<Role, Set<Scope>> scopesByRole() {
        Map<Role, Set<Scope>> byRole = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            Set<Scope> held = EnumSet.noneOf(Scope.class);
            for (Scope scope : keyScopes()) {
                boolean all = Arrays.stream(values())
                        .filter(p -> p.scope != null && (scope == Scope.ADMIN || scope == p.scope))
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
