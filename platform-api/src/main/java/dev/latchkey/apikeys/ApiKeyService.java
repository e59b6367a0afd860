package dev.latchkey.apikeys;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.accounts.OrgAccess;
import dev.latchkey.accounts.Permission;
import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.web.Caller;
import dev.latchkey.web.LatchkeyException;
import dev.latchkey.web.Page;
import dev.latchkey.web.PageCursor;
import dev.latchkey.web.ProblemType;

/** Platform API keys: create (shown once), list, revoke, rotate with a grace period. */
@Service
public class ApiKeyService {

    static final Duration MAX_GRACE = Duration.ofDays(7);
    /** A key that is unknown, revoked or expired (also when found out at a billable request's commit). */
    public static final ProblemType INVALID_KEY = ApiKeyAuthenticator.INVALID_KEY;

    private final ApiKeyRepository keys;
    private final ApiKeySecretRepository secrets;
    private final SecretHasher hasher;
    private final ApiKeyAuthenticator authenticator;
    private final OrgAccess orgAccess;
    private final AuditService audit;
    private final SecureRandom random;
    private final Clock clock;

    ApiKeyService(ApiKeyRepository keys, ApiKeySecretRepository secrets, SecretHasher hasher,
            ApiKeyAuthenticator authenticator, OrgAccess orgAccess, AuditService audit, SecureRandom random,
            Clock clock) {
        this.keys = keys;
        this.secrets = secrets;
        this.hasher = hasher;
        this.authenticator = authenticator;
        this.orgAccess = orgAccess;
        this.audit = audit;
        this.random = random;
        this.clock = clock;
    }

    public record NewApiKey(String name, Set<String> scopes, Instant expiresAt, Integer rateLimitPerMinute) {
    }

    @Transactional
    public CreatedApiKey create(Caller caller, UUID orgId, NewApiKey request) {
        orgAccess.require(caller, orgId, Permission.API_KEYS_MANAGE);
        for (String scope : request.scopes()) {
            if (!ApiKeyScopes.ALL.contains(scope)) {
                throw LatchkeyException.invalidField("scopes", "unknown scope '" + scope + "'; known scopes are "
                        + ApiKeyScopes.ALL.stream().sorted().toList());
            }
        }
        Instant now = clock.instant();
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw LatchkeyException.invalidField("expires_at", "must be in the future");
        }
        UUID createdBy = caller instanceof Caller.User user ? user.userId() : null;
        ApiKey key = keys.save(new ApiKey(UUID.randomUUID(), orgId, request.name().trim(), request.scopes(),
                request.expiresAt(), request.rateLimitPerMinute(), createdBy, now));
        PlatformKeyFormat.ParsedKey secret = newSecret(key.id(), now);
        audit.record(AuditEvent.success("api_key.created").by(caller).org(orgId).target("api_key", key.id())
                .detail("name", key.name()).detail("prefix", secret.displayPrefix())
                .detail("scopes", String.join(" ", key.scopes().stream().sorted().toList())).build());
        return created(key, secret);
    }

    @Transactional(readOnly = true)
    public Page<ApiKeyView> list(Caller caller, UUID orgId, String cursor, int limit) {
        orgAccess.require(caller, orgId, Permission.API_KEYS_READ);
        int size = Math.max(1, Math.min(limit, 200));
        List<ApiKey> page;
        if (cursor == null || cursor.isBlank()) {
            page = keys.firstPage(orgId, Limit.of(size + 1));
        } else {
            PageCursor after = PageCursor.decode(cursor);
            page = keys.pageAfter(orgId, after.time(), after.id(), Limit.of(size + 1));
        }
        boolean more = page.size() > size;
        List<ApiKey> items = more ? page.subList(0, size) : page;
        String next = more ? new PageCursor(items.get(size - 1).createdAt(), items.get(size - 1).id()).encode() : null;
        return new Page<>(items.stream().map(this::view).toList(), next);
    }

    @Transactional(readOnly = true)
    public ApiKeyView get(Caller caller, UUID orgId, UUID keyId) {
        orgAccess.require(caller, orgId, Permission.API_KEYS_READ);
        return view(find(orgId, keyId));
    }

    /** The key's own request rate limit per minute, if it has one; empty too for an unknown key. */
    @Transactional(readOnly = true)
    public Optional<Integer> rateLimitPerMinute(UUID apiKeyId) {
        return keys.findById(apiKeyId).map(ApiKey::rateLimitPerMinute);
    }

    /**
     * Revokes every secret of the key; every instance refuses it within the cache TTL (under a
     * second). Allowed in a suspended organization too: it only takes access away.
     */
    @Transactional
    public void revoke(Caller caller, UUID orgId, UUID keyId) {
        orgAccess.requireToRestrict(caller, orgId, Permission.API_KEYS_MANAGE);
        ApiKey key = find(orgId, keyId);
        if (key.revoked()) {
            return;
        }
        key.revoke(clock.instant());
        authenticator.forgetAfterCommit(keyId);
        audit.record(AuditEvent.success("api_key.revoked").by(caller).org(orgId).target("api_key", keyId)
                .detail("name", key.name()).build());
    }

    /**
     * Whether the key exists, is not revoked and has not expired: for work done later in the
     * key's name, such as a call started with a session token the key minted.
     */
    @Transactional(readOnly = true)
    public boolean isUsable(UUID keyId) {
        Instant now = clock.instant();
        return keys.findById(keyId)
                .map(key -> !key.revoked() && (key.expiresAt() == null || now.isBefore(key.expiresAt())))
                .orElse(false);
    }

    /** A new secret under the same key id; the old ones keep working for {@code grace}. */
    @Transactional
    public CreatedApiKey rotate(Caller caller, UUID orgId, UUID keyId, Duration grace) {
        orgAccess.require(caller, orgId, Permission.API_KEYS_MANAGE);
        if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
            throw LatchkeyException.invalidField("grace_seconds", "must be between 0 and " + MAX_GRACE.toSeconds());
        }
        ApiKey key = find(orgId, keyId);
        if (key.revoked()) {
            throw new LatchkeyException(ProblemType.CONFLICT, "A revoked key cannot be rotated");
        }
        Instant now = clock.instant();
        for (ApiKeySecret old : secrets.findByApiKeyId(keyId)) {
            old.expireAt(now.plus(grace));
        }
        authenticator.forgetAfterCommit(keyId);
        PlatformKeyFormat.ParsedKey secret = newSecret(keyId, now);
        audit.record(AuditEvent.success("api_key.rotated").by(caller).org(orgId).target("api_key", keyId)
                .detail("prefix", secret.displayPrefix()).detail("grace_seconds", grace.toSeconds()).build());
        return created(key, secret);
    }

    /** How many unrevoked keys each organization has, for platform admins' list of organizations. */
    @Transactional(readOnly = true)
    public Map<UUID, Long> countUnrevokedKeys(Caller.User admin, Collection<UUID> orgIds) {
        if (!admin.platformAdmin()) {
            throw LatchkeyException.notFound("Resource");
        }
        if (orgIds.isEmpty()) {
            return Map.of();
        }
        Map<UUID, Long> counts = new HashMap<>();
        keys.countUnrevokedByOrg(orgIds).forEach(row -> counts.put((UUID) row[0], (Long) row[1]));
        return counts;
    }

    private PlatformKeyFormat.ParsedKey newSecret(UUID keyId, Instant now) {
        PlatformKeyFormat.ParsedKey secret = PlatformKeyFormat.generate(random);
        secrets.saveAndFlush(new ApiKeySecret(UUID.randomUUID(), keyId, secret.lookupId(), hasher.hash(secret.key()),
                now));
        return secret;
    }

    private ApiKey find(UUID orgId, UUID keyId) {
        return keys.findByIdAndOrgId(keyId, orgId).orElseThrow(() -> LatchkeyException.notFound("API key"));
    }

    private ApiKeyView view(ApiKey key) {
        String prefix = secrets.findByApiKeyId(key.id()).stream()
                .max(Comparator.comparing(ApiKeySecret::createdAt))
                .map(secret -> PlatformKeyFormat.PREFIX + secret.lookupId())
                .orElse(null);
        return ApiKeyView.of(key, prefix);
    }

    private static CreatedApiKey created(ApiKey key, PlatformKeyFormat.ParsedKey secret) {
        return new CreatedApiKey(key.id(), key.name(), secret.key(), secret.displayPrefix(), key.scopes(),
                key.createdAt(), key.expiresAt());
    }
}
