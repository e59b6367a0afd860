package dev.latchkey.apikeys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

import dev.latchkey.accounts.OrgAccess;
import dev.latchkey.accounts.OrganizationService;
import dev.latchkey.accounts.OrganizationStatusChanged;
import dev.latchkey.web.BearerTokenAuthenticator;
import dev.latchkey.web.Caller;
import dev.latchkey.web.LatchkeyException;
import dev.latchkey.web.ProblemType;

/**
 * Verifies {@code platform_...} bearer keys. The checksum is checked first, so a mistyped key
 * costs no database read; a verified key is cached for at most {@code latchkey.api-keys.cache-ttl}
 * (500 ms by default), which bounds how long a revocation or suspension takes to reach every
 * instance.
 */
@Component
class ApiKeyAuthenticator implements BearerTokenAuthenticator {

    static final ProblemType MALFORMED_KEY = new ProblemType("/problems/malformed-api-key", 401,
            "Malformed API key");
    static final ProblemType INVALID_KEY = new ProblemType("/problems/invalid-api-key", 401,
            "Invalid API key");

    private final ApiKeyRepository keys;
    private final ApiKeySecretRepository secrets;
    private final SecretHasher hasher;
    private final OrganizationService organizations;
    private final LastUsedRecorder lastUsed;
    private final TransactionTemplate readOnly;
    private final Clock clock;
    private final Cache<String, Optional<KnownSecret>> cache;

    ApiKeyAuthenticator(ApiKeyRepository keys, ApiKeySecretRepository secrets, SecretHasher hasher,
            OrganizationService organizations, LastUsedRecorder lastUsed, TransactionTemplate transactions,
            Clock clock, @Value("${latchkey.api-keys.cache-ttl:500ms}") Duration cacheTtl) {
        if (cacheTtl.compareTo(Duration.ofSeconds(1)) >= 0) {
            throw new IllegalStateException("latchkey.api-keys.cache-ttl must stay under one second:"
                    + " it bounds how long a revoked key keeps working");
        }
        this.keys = keys;
        this.secrets = secrets;
        this.hasher = hasher;
        this.organizations = organizations;
        this.lastUsed = lastUsed;
        this.readOnly = new TransactionTemplate(transactions.getTransactionManager());
        this.readOnly.setReadOnly(true);
        this.clock = clock;
        this.cache = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(100_000).build();
    }

    /** What one secret's lookup id resolves to, as of the last database read. */
    private record KnownSecret(byte[] hash, Instant secretExpiresAt, UUID apiKeyId, UUID orgId, Set<String> scopes,
            Instant keyExpiresAt, boolean revoked, boolean orgActive) {
    }

    @Override
    public boolean supports(String token) {
        return PlatformKeyFormat.looksLikePlatformKey(token);
    }

    @Override
    public Authentication authenticate(String token) {
        PlatformKeyFormat.ParsedKey parsed = PlatformKeyFormat.parse(token)
                .orElseThrow(() -> new LatchkeyException(MALFORMED_KEY,
                        "The API key is malformed or mistyped: its length, characters or checksum are wrong"));
        Optional<KnownSecret> known = cache.get(parsed.lookupId(), this::load);
        if (known.isEmpty() || !hasher.matches(parsed.key(), known.get().hash())) {
            throw new LatchkeyException(INVALID_KEY, "The API key is not valid");
        }
        KnownSecret secret = known.get();
        Instant now = clock.instant();
        if (secret.revoked()) {
            throw new LatchkeyException(INVALID_KEY, "The API key has been revoked");
        }
        if (secret.keyExpiresAt() != null && !now.isBefore(secret.keyExpiresAt())) {
            throw new LatchkeyException(INVALID_KEY, "The API key has expired");
        }
        if (secret.secretExpiresAt() != null && !now.isBefore(secret.secretExpiresAt())) {
            throw new LatchkeyException(INVALID_KEY, "This secret of the API key was rotated and its grace period has ended");
        }
        if (!secret.orgActive()) {
            throw new LatchkeyException(OrgAccess.ORG_SUSPENDED, "The organization of this API key is suspended;"
                    + " its keys are refused until a platform admin resumes it");
        }
        lastUsed.touch(secret.apiKeyId(), now);
        Caller.ApiKey caller = new Caller.ApiKey(secret.apiKeyId(), secret.orgId(), secret.scopes());
        List<SimpleGrantedAuthority> authorities = secret.scopes().stream()
                .map(scope -> new SimpleGrantedAuthority("SCOPE_" + scope))
                .toList();
        return UsernamePasswordAuthenticationToken.authenticated(caller, null, authorities);
    }

    /**
     * Drops the organization's cached keys on this instance as soon as its suspension (or
     * resumption) commits; other instances see it within the TTL.
     */
    @TransactionalEventListener
    void organizationStatusChanged(OrganizationStatusChanged changed) {
        cache.asMap().values().removeIf(known -> known.isPresent() && known.get().orgId().equals(changed.orgId()));
    }

    /** Drops a cached secret on this instance at once; others see the change within the TTL. */
    void forget(String lookupId) {
        cache.invalidate(lookupId);
    }

    private Optional<KnownSecret> load(String lookupId) {
        return readOnly.execute(status -> secrets.findByLookupId(lookupId).flatMap(secret ->
                keys.findById(secret.apiKeyId()).map(key -> new KnownSecret(secret.secretHash(), secret.expiresAt(),
                        key.id(), key.orgId(), key.scopes(), key.expiresAt(), key.revoked(),
                        organizations.isActive(key.orgId())))));
    }
}
