package dev.latchkey.sessions;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

import dev.latchkey.kernel.SecretHasher;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.OrgBound;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.web.BearerTokenAuthenticator;

/**
 * Recognizes {@code pst_...} bearer tokens. Authentication only checks that the token is still
 * usable (well-formed, known, unused, unexpired) and names its organization, for CORS; it does
 * not use the token up. {@code POST /v1/realtime/calls} consumes it, after checking the offer,
 * so a request refused for its body leaves the token usable.
 */
@Component
class SessionTokenAuthenticator implements BearerTokenAuthenticator {

    static final ProblemType INVALID_SESSION_TOKEN = new ProblemType("/problems/invalid-session-token", 401,
            "Invalid session token");

    private final SessionTokens tokens;
    private final SecretHasher hasher;
    private final Clock clock;

    SessionTokenAuthenticator(SessionTokens tokens, SecretHasher hasher, Clock clock) {
        this.tokens = tokens;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** A session token presented with a request: its hash and its organization. Never a {@code Caller}. */
    record PresentedToken(byte[] hash, UUID orgId) implements OrgBound {
        @Override
        public String toString() {
            return "PresentedToken[org=" + orgId + "]";
        }
    }

    @Override
    public boolean supports(String token) {
        return SessionTokenService.FORMAT.claims(token);
    }

    @Override
    public Authentication authenticate(String token) {
        String parsed = SessionTokenService.FORMAT.parse(token).orElseThrow(() -> new LatchkeyException(INVALID_SESSION_TOKEN,
                "The session token is malformed or mistyped: its length, characters or checksum are wrong"));
        byte[] hash = hasher.hash(parsed);
        UUID orgId = tokens.usableTokenOrg(hash, clock.instant()).orElseThrow(() -> unusable());
        return UsernamePasswordAuthenticationToken.authenticated(new PresentedToken(hash, orgId), null, List.of());
    }

    static LatchkeyException unusable() {
        return new LatchkeyException(INVALID_SESSION_TOKEN,
                "The session token is unknown, already used or expired; session tokens work once");
    }
}
