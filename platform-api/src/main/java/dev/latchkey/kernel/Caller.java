package dev.latchkey.kernel;

import java.io.Serializable;
import java.security.Principal;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who is calling: a console user (session cookie) or an app (platform API key). */
public sealed interface Caller extends Principal, Serializable permits Caller.User, Caller.ApiKey {

    /** A user signed in to the console. */
    record User(UUID userId, String email, boolean platformAdmin) implements Caller {
        /** The session index name: console sessions are found by user id, never by email. */
        @Override
        public String getName() {
            return userId.toString();
        }
    }

    /** An app authenticated with a platform API key of one organization. */
    record ApiKey(UUID apiKeyId, UUID orgId, Set<Scope> scopes) implements Caller, OrgBound {
        public ApiKey {
            scopes = Set.copyOf(scopes);
        }

        /** Whether the key holds the scope: itself, or {@link Scope#ADMIN}, which holds every scope. */
        public boolean holds(Scope scope) {
            return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
        }

        @Override
        public String getName() {
            return apiKeyId.toString();
        }
    }

    /**
     * The caller as a platform API key holding one of the scopes (or {@link Scope#ADMIN}); 403
     * for console users and for keys without them. The one check of a key's scopes.
     */
    default ApiKey require(Scope... anyOf) {
        if (!(this instanceof ApiKey key)) {
            throw new LatchkeyException(ProblemType.FORBIDDEN,
                    "This endpoint needs a platform API key (Authorization: Bearer platform_...)");
        }
        if (Arrays.stream(anyOf).anyMatch(key::holds)) {
            return key;
        }
        throw new LatchkeyException(ProblemType.FORBIDDEN, "This API key lacks the "
                + String.join(" or ", Arrays.stream(anyOf).map(Scope::value).toList()) + " scope");
    }

    /** The authenticated caller of the current request; 401 when there is none. */
    static Caller current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Caller caller) {
            return caller;
        }
        throw new LatchkeyException(ProblemType.UNAUTHENTICATED, "Sign in or send a platform API key");
    }

    /**
     * The current caller when it is a platform admin. Anyone else is told there is nothing here
     * (404), so the admin API does not even reveal that it exists.
     */
    static User currentPlatformAdmin() {
        if (current() instanceof User user && user.platformAdmin()) {
            return user;
        }
        throw LatchkeyException.notFound("Resource");
    }

    /** The current caller when it is a console user; 403 for API keys on user-only endpoints. */
    static User currentUser() {
        if (current() instanceof User user) {
            return user;
        }
        throw new LatchkeyException(ProblemType.FORBIDDEN, "This endpoint is for console users, not API keys");
    }
}
