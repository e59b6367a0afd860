package dev.latchkey.sessions;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.kernel.SecretHasher;
import dev.latchkey.kernel.SecretTokenFormat;
import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.broker.RealtimeCalls;
import dev.latchkey.broker.TokenBroker;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.web.RequestMetadata;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/realtime/sessions}: a one-time session token ({@code pst_...}) for a browser
 * that may hold no provider key at all, not even an ephemeral one. The token is pinned to the
 * provider, the credential, the policed session and the end user, lives at most five minutes,
 * works once, and is stored only as a peppered hash.
 */
@Service
public class SessionTokenService {

    /** {@code pst_} tokens: the same checksummed form as platform keys. */
    static final SecretTokenFormat FORMAT = new SecretTokenFormat("pst_");

    static final int DEFAULT_TTL_SECONDS = 60;
    static final int MAX_TTL_SECONDS = 300;

    private final RealtimeCalls realtimeCalls;
    private final SessionTokens tokens;
    private final SecretHasher hasher;
    private final AuditService audit;
    private final SecureRandom random;
    private final Clock clock;

    SessionTokenService(RealtimeCalls realtimeCalls, SessionTokens tokens, SecretHasher hasher,
            AuditService audit, SecureRandom random, Clock clock) {
        this.realtimeCalls = realtimeCalls;
        this.tokens = tokens;
        this.hasher = hasher;
        this.audit = audit;
        this.random = random;
        this.clock = clock;
    }

    /**
     * What an app asks for: as {@code POST /v1/tokens} for the same provider; {@code credential} is
     * what {@code X-Credential-Id} may say instead (a stored credential's id, or {@code managed}).
     */
    public record SessionRequest(String provider, JsonNode session, Integer ttlSeconds, String endUser,
            String credential) {
    }

    /** A minted token, shown once: only its hash is kept. */
    public record IssuedSessionToken(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "IssuedSessionToken[token=***, expiresAt=" + expiresAt + "]";
        }
    }

    @Transactional
    public IssuedSessionToken mint(Caller caller, SessionRequest request, String credentialHeader) {
        RealtimeCalls.PreparedSession prepared = realtimeCalls.prepare(caller, request.provider(), request.session(),
                request.endUser(), TokenBroker.credentialChoice(credentialHeader, request.credential()));
        Caller.ApiKey key = (Caller.ApiKey) caller; // prepare() refuses anything else
        Duration ttl = ttl(request.ttlSeconds(), prepared.maxTtlSeconds());
        Instant now = clock.instant();
        String token = FORMAT.generate(random);
        SessionTokens.StoredToken stored = new SessionTokens.StoredToken(UUID.randomUUID(), key.orgId(),
                key.apiKeyId(), prepared.provider(), prepared.credentialId(), prepared.managed(), prepared.session(),
                request.endUser(), prepared.maxSessionSeconds());
        tokens.insert(stored, hasher.hash(token), RequestMetadata.current().requestId(), now, now.plus(ttl));
        audit.record(AuditEvent.success("session_token.minted").by(key).org(key.orgId())
                .target("session_token", stored.id()).detail("provider", prepared.provider().id())
                // The organization's log never names the platform's credential.
                .detail("credential", prepared.managed() ? "managed" : prepared.credentialId())
                .detail("ttl_seconds", ttl.toSeconds())
                .detail("max_session_seconds", prepared.maxSessionSeconds()).build());
        return new IssuedSessionToken(token, now.plus(ttl));
    }

    /** The requested TTL (60 s by default), at least 1 s, clamped to five minutes and the policy's maximum. */
    static Duration ttl(Integer requested, Integer policyMax) {
        int seconds = requested == null ? DEFAULT_TTL_SECONDS : requested;
        if (seconds < 1) {
            throw LatchkeyException.invalidField("ttl_seconds", "must be at least 1");
        }
        int max = policyMax == null ? MAX_TTL_SECONDS : Math.min(policyMax, MAX_TTL_SECONDS);
        return Duration.ofSeconds(Math.min(seconds, max));
    }
}
