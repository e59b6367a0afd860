package dev.latchkey.web;

import java.util.Optional;

import org.springframework.security.core.Authentication;

import dev.latchkey.kernel.LatchkeyException;

/**
 * Turns a bearer token of one family (platform keys, session tokens, ...) into an
 * authentication. Capabilities implement it; the security chain asks each in turn.
 */
public interface BearerTokenAuthenticator {

    /** Whether the token belongs to this family, judged by its form alone (e.g. its prefix). */
    boolean supports(String token);

    /**
     * Authenticates a token this authenticator supports.
     *
     * @throws LatchkeyException (401) when the token is malformed, unknown, expired or revoked
     */
    Authentication authenticate(String token);

    static Optional<String> bearerToken(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.length() < 8
                || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(authorizationHeader.substring(7).trim());
    }
}
