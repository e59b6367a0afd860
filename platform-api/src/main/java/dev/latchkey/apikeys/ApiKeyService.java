package dev.latchkey.apikeys;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.latchkey.accounts.MembershipChanged;
import dev.latchkey.accounts.OrgAccess;
import dev.latchkey.accounts.Permission;
import dev.latchkey.accounts.Role;
import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.FieldProblem;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Page;
import dev.latchkey.kernel.PageCursor;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.kernel.Scope;
import dev.latchkey.kernel.SecretHasher;

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

    /**
     * A new key, shown once. Its scopes are capped at what the caller may grant: their role's
     * scopes, or for a key, its creator's current role's (and the key's own). The key's creator
     * is the person responsible, also when a key made it, so that the key loses what they lose.
     */
    @Transactional
    public CreatedApiKey create(Caller caller, UUID orgId, NewApiKey request) {
        orgAccess.require(caller, orgId, Permission.API_KEYS_MANAGE);
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : request.scopes()) {
            scopes.add(Scope.parse(name).orElseThrow(() -> LatchkeyException.invalidField("scopes", "unknown scope '"
                    + name + "'; known scopes are " + Scope.names(EnumSet.allOf(Scope.class)))));
        }
        Grantor grantor = grantor(caller, orgId);
        requireMayGrant(caller, orgId, grantor, scopes, "create");
        Instant now = clock.instant();
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw LatchkeyException.invalidField("expires_at", "must be in the future");
        }
        ApiKey key = keys.save(new ApiKey(UUID.randomUUID(), orgId, request.name().trim(), scopes,
                request.expiresAt(), request.rateLimitPerMinute(), grantor.userId(), now));
        PlatformKeyFormat.ParsedKey secret = newSecret(key.id(), now);
        audit.record(AuditEvent.success("api_key.created").by(caller).org(orgId).target("api_key", key.id())
                .detail("name", key.name()).detail("prefix", secret.displayPrefix())
                .detail("scopes", String.join(" ", Scope.names(key.scopes()))).build());
        return created(key, secret);
    }

    @Transactional(readOnly = true)
    public Page<ApiKeyView> list(Caller caller, UUID orgId, String cursor, int limit) {
        orgAccess.require(caller, orgId, Permission.API_KEYS_READ);
        int size = Page.limit(limit);
        List<ApiKey> page;
        if (cursor == null || cursor.isBlank()) {
            page = keys.firstPage(orgId, Limit.of(size + 1));
        } else {
            PageCursor after = PageCursor.decode(cursor);
            page = keys.pageAfter(orgId, after.time(), after.id(), Limit.of(size + 1));
        }
        return Page.slice(page, size, key -> new PageCursor(key.createdAt(), key.id()).encode()).map(this::view);
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
        // Whoever receives the new secret holds the key's scopes: only someone who may grant them.
        requireMayGrant(caller, orgId, grantor(caller, orgId), key.scopes(), "rotate");
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

    /**
     * A member's role changed or they left: in the same transaction, the keys they created lose
     * the scopes the new role lacks, and are revoked when nothing is left (always, when they
     * left), each change an audit event. Every instance sees it at its next load of the key (the
     * cache holds a key under a second); this one at once, after the commit.
     */
    @EventListener
    void membershipChanged(MembershipChanged change) {
        String reason = change.removed() ? "creator_removed" : "creator_role_changed";
        for (ApiKey key : keys.lockUnrevokedByCreator(change.orgId(), change.userId())) {
            capAtCreatorRole(key, Optional.ofNullable(change.role()), change.changedBy(), reason);
        }
    }

    /**
     * Brings keys made before keys were capped at their creator's role into line, once per start
     * (an empty query afterwards): keys that hold more than their creator's current role allows
     * lose it, keys whose creator left or is unknown are revoked, each an audit event by the
     * system. Runs before the web server takes requests.
     */
    @Transactional
    int capKeysBeyondTheirCreatorsRole() {
        Map<Role, String> scopesByRole = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            scopesByRole.put(role, "{" + String.join(",", Scope.names(role.keyScopes())) + "}");
        }
        List<ApiKey> beyond = keys.lockUnrevokedBeyondCreatorRole(scopesByRole.get(Role.OWNER),
                scopesByRole.get(Role.ADMIN), scopesByRole.get(Role.DEVELOPER), scopesByRole.get(Role.BILLING),
                scopesByRole.get(Role.VIEWER));
        for (ApiKey key : beyond) {
            Optional<Role> creatorRole = key.createdBy() == null ? Optional.empty()
                    : orgAccess.roleOf(key.orgId(), key.createdBy());
            capAtCreatorRole(key, creatorRole, null, key.createdBy() == null ? "creator_unknown"
                    : creatorRole.isEmpty() ? "creator_removed" : "creator_role_changed");
        }
        return beyond.size();
    }

    /** {@code changedBy} null: the system. */
    private void capAtCreatorRole(ApiKey key, Optional<Role> creatorRole, Caller changedBy, String reason) {
        Set<Scope> allowed = creatorRole.map(Role::keyScopes).orElse(Set.of());
        Set<Scope> kept = EnumSet.noneOf(Scope.class);
        kept.addAll(key.scopes());
        kept.retainAll(allowed);
        if (kept.equals(key.scopes())) {
            return;
        }
        Set<Scope> removed = EnumSet.noneOf(Scope.class);
        removed.addAll(key.scopes());
        removed.removeAll(kept);
        AuditEvent.Builder event;
        if (kept.isEmpty()) {
            key.revoke(clock.instant());
            event = AuditEvent.success("api_key.revoked").detail("name", key.name());
        } else {
            key.limitScopes(kept);
            event = AuditEvent.success("api_key.scopes_reduced").detail("scopes", String.join(" ", Scope.names(kept)));
        }
        if (changedBy != null) {
            event.by(changedBy);
        }
        audit.record(event.org(key.orgId()).target("api_key", key.id()).detail("reason", reason)
                .detail("removed_scopes", String.join(" ", Scope.names(removed)))
                .detail("creator_role", creatorRole.map(Role::value).orElse(null)).build());
        authenticator.forgetAfterCommit(key.id());
    }

    /**
     * Who grants scopes to a key, and which they may: the person responsible for the new key, by
     * their role as committed now, share-locked so that a concurrent demotion waits for this key
     * and then caps it too.
     */
    private Grantor grantor(Caller caller, UUID orgId) {
        if (caller instanceof Caller.ApiKey key) {
            UUID creator = keys.findById(key.apiKeyId()).map(ApiKey::createdBy).orElse(null);
            Optional<Role> creatorRole = creator == null ? Optional.empty() : orgAccess.lockRoleOf(orgId, creator);
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            scopes.addAll(creatorRole.map(ApiKeyService::grantableBy).orElse(Set.of()));
            if (!key.holds(Scope.ADMIN)) {
                scopes.retainAll(key.scopes());
            }
            return new Grantor(creator, scopes, creatorRole
                    .map(r -> "This API key's creator (now " + r.value() + ")")
                    .orElse("This API key, whose creator is no longer a member,"));
        }
        UUID userId = ((Caller.User) caller).userId();
        Role role = orgAccess.lockRoleOf(orgId, userId).orElseThrow(() -> LatchkeyException.notFound("Organization"));
        return new Grantor(userId, grantableBy(role), "The role " + role.value());
    }

    /** A role that may not manage keys grants nothing; any other grants the scopes it holds. */
    private static Set<Scope> grantableBy(Role role) {
        return Permission.API_KEYS_MANAGE.grantedTo(role) ? role.keyScopes() : Set.of();
    }

    private record Grantor(UUID userId, Set<Scope> scopes, String who) {
    }

    private void requireMayGrant(Caller caller, UUID orgId, Grantor grantor, Set<Scope> requested, String verb) {
        for (Scope scope : requested.stream().sorted(Comparator.comparing(Scope::value)).toList()) {
            if (!grantor.scopes().contains(scope)) {
                audit.recordAfterCompletion(AuditEvent.denied("access.denied").by(caller).org(orgId)
                        .target("organization", orgId).detail("permission", verb + "_api_key")
                        .detail("scope", scope.value()).detail("reason", "scope_beyond_role").build());
                String who = grantor.who().replaceFirst(",$", "");
                String message = "'" + scope + "' is more than " + Character.toLowerCase(who.charAt(0))
                        + who.substring(1) + " may grant";
                throw new LatchkeyException(ProblemType.FORBIDDEN, grantor.who() + " may not " + verb
                        + " a key with the scope '" + scope + "': a key never holds more than its creator may do",
                        List.of(new FieldProblem("scopes", message)), Map.of());
            }
        }
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
        return new CreatedApiKey(key.id(), key.name(), secret.key(), secret.displayPrefix(), Scope.valueSet(key.scopes()),
                key.createdAt(), key.expiresAt());
    }
}
