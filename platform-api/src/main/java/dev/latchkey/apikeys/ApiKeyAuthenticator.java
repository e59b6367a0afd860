package dev.latchkey.apikeys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.latchkey.accounts.OrgAccess;
import dev.latchkey.accounts.OrganizationStatusChanged;
import dev.latchkey.changes.CacheLoaders;
import dev.latchkey.changes.ChangeFeed;
import dev.latchkey.changes.RefreshingCache;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.kernel.Scope;
import dev.latchkey.kernel.SecretHasher;
import dev.latchkey.web.BearerTokenAuthenticator;
import dev.latchkey.web.RequestMetadata;

/**
 * Verifies {@code platform_...} bearer keys. The checksum is checked first, so a mistyped key
 * costs no database read; what a lookup id resolves to is cached ({@link RefreshingCache}: no
 * database read on the request path in the steady state) and dropped on every instance as soon
 * as a change to the key, its secrets or its organization commits (the {@link ChangeFeed}),
 * with {@code latchkey.api-keys.cache-ttl} (under a second) as the backstop. Billable requests
 * check revocation and suspension once more when they commit.
 */
@Component
class ApiKeyAuthenticator implements BearerTokenAuthenticator {

    static final ProblemType MALFORMED_KEY = new ProblemType("/problems/malformed-api-key", 401,
            "Malformed API key");
    static final ProblemType INVALID_KEY = new ProblemType("/problems/invalid-api-key", 401,
            "Invalid API key");

    private final Function<String, Optional<ResolvedSecret>> secrets;
    private final SecretHasher hasher;
    private final LastUsedRecorder lastUsed;
    private final ChangeFeed changes;
    private final Clock clock;
    private final RefreshingCache<String, Optional<KnownSecret>> cache;
    private final Cache<String, Bucket> lookupsByAddress = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(1)).build();
    private final int lookupsPerSecond;

    @Autowired
    ApiKeyAuthenticator(ApiKeySecretRepository secrets, SecretHasher hasher, LastUsedRecorder lastUsed,
            CacheLoaders loaders, ChangeFeed changes, Clock clock, ApiKeysProperties settings) {
        this(secrets::resolve, hasher, lastUsed, loaders, changes, clock, settings);
    }

    /** With another source of secrets than the repository: for a benchmark without Spring. */
    ApiKeyAuthenticator(Function<String, Optional<ResolvedSecret>> secrets, SecretHasher hasher,
            LastUsedRecorder lastUsed, CacheLoaders loaders, ChangeFeed changes, Clock clock,
            ApiKeysProperties settings) {
        this.secrets = secrets;
        this.hasher = hasher;
        this.lastUsed = lastUsed;
        this.changes = changes;
        this.clock = clock;
        this.lookupsPerSecond = settings.lookupsPerSecond();
        this.cache = loaders.cache(settings.cacheTtl(), 100_000, this::load);
        changes.subscribe("api_key", change -> {
            if (change.everything()) {
                cache.invalidateAll();
            } else {
                UUID keyId = UUID.fromString(change.id());
                cache.invalidateValues(known -> known.isPresent() && known.get().apiKeyId().equals(keyId));
            }
        });
        changes.subscribe("org", change -> {
            if (change.everything()) {
                cache.invalidateAll();
            } else {
                UUID orgId = UUID.fromString(change.id());
                cache.invalidateValues(known -> known.isPresent() && known.get().orgId().equals(orgId));
            }
        });
    }

    /** What one secret's lookup id resolves to, as of the last database read. */
    private record KnownSecret(byte[] hash, Instant secretExpiresAt, UUID apiKeyId, UUID orgId, Set<Scope> scopes,
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
        if (!cache.contains(parsed.lookupId())) {
            limitLookups();
        }
        Optional<KnownSecret> known = cache.get(parsed.lookupId());
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
        return UsernamePasswordAuthenticationToken.authenticated(caller, null, List.of());
    }

    /**
     * Drops the organization's cached keys on this instance as soon as its suspension (or
     * resumption) commits, before the change feed brings the same news.
     */
    @TransactionalEventListener
    void organizationStatusChanged(OrganizationStatusChanged changed) {
        cache.invalidateValues(known -> known.isPresent() && known.get().orgId().equals(changed.orgId()));
    }

    /**
     * A key this instance has not seen costs a database read, so strangers cannot make it read
     * without end: each client address gets {@code latchkey.api-keys.lookups-per-second} (and a
     * burst of ten times as many) of them.
     */
    private void limitLookups() {
        String address = RequestMetadata.current().ip();
        Bucket bucket = lookupsByAddress.get(address == null ? "unknown" : address, any -> Bucket.builder()
                .addLimit(limit -> limit.capacity(lookupsPerSecond * 10L).refillGreedy(lookupsPerSecond,
                        Duration.ofSeconds(1)))
                .build());
        if (!bucket.tryConsume(1)) {
            throw new LatchkeyException(ProblemType.RATE_LIMITED, "Too many unknown API keys from this address;"
                    + " retry in a second", List.of(), java.util.Map.of("Retry-After", "1"));
        }
    }

    /** Drops a cached secret on this instance once the caller's transaction commits. */
    void forgetAfterCommit(UUID apiKeyId) {
        changes.publishLocallyAfterCommit("api_key", apiKeyId.toString());
    }

    private Optional<KnownSecret> load(String lookupId) {
        return secrets.apply(lookupId).map(row -> new KnownSecret(row.secretHash(), row.secretExpiresAt(),
                row.apiKeyId(), row.orgId(), Scope.parseAll(List.of(row.scopes())), row.keyExpiresAt(),
                row.revokedAt() != null, "active".equals(row.orgStatus())));
    }
}
