package dev.latchkey.broker;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.accounts.OrgAccess;
import dev.latchkey.accounts.Permission;
import dev.latchkey.broker.spi.ProviderAdapter;
import dev.latchkey.changes.CacheLoaders;
import dev.latchkey.changes.ChangeFeed;
import dev.latchkey.changes.RefreshingCache;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Provider;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** Session policies per organization and provider, edited in the console. */
@Service
public class PolicyService {

    private static final String OVERRIDE_PATH = "\\*|[a-z0-9_]{1,64}(\\.[a-z0-9_]{1,64}){0,7}";
    private static final int MAX_PINNED_BYTES = 16 * 1024;

    private final JdbcClient jdbc;
    private final Map<Provider, ProviderAdapter<?>> adapters;
    private final OrgAccess orgAccess;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;
    private final ChangeFeed changes;
    private final RefreshingCache<PolicyKey, SessionPolicy> cache;

    private record PolicyKey(UUID orgId, Provider provider) {
    }

    PolicyService(JdbcClient jdbc, List<ProviderAdapter<?>> adapters, OrgAccess orgAccess, ApplicationEventPublisher events,
            JsonMapper json, Clock clock, CacheLoaders loaders, ChangeFeed changes) {
        this.jdbc = jdbc;
        this.adapters = adapters.stream().collect(Collectors.toMap(ProviderAdapter::provider, Function.identity()));
        this.orgAccess = orgAccess;
        this.events = events;
        this.json = json;
        this.clock = clock;
        this.changes = changes;
        // A change reaches every instance at once through the change feed; the second is the backstop.
        this.cache = loaders.cache(Duration.ofSeconds(1), 100_000, key -> load(key.orgId(), key.provider()));
        changes.subscribe("policy", change -> {
            if (change.everything()) {
                cache.invalidateAll();
            } else {
                UUID orgId = UUID.fromString(change.id());
                cache.invalidateKeys(key -> key.orgId().equals(orgId));
            }
        });
    }

    @Transactional(readOnly = true)
    public SessionPolicy get(Caller caller, UUID orgId, Provider provider) {
        orgAccess.require(caller, orgId, Permission.ORG_READ);
        return load(orgId, provider);
    }

    @Transactional
    public SessionPolicy put(Caller caller, UUID orgId, Provider provider, SessionPolicy policy) {
        orgAccess.require(caller, orgId, Permission.POLICIES_MANAGE);
        validate(adapters.get(provider), policy);
        jdbc.sql("""
                INSERT INTO session_policies (org_id, provider, policy, updated_by, updated_at)
                VALUES (:orgId, :provider, CAST(:policy AS jsonb), :updatedBy, :now)
                ON CONFLICT (org_id, provider) DO UPDATE SET policy = EXCLUDED.policy,
                    updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at""")
                .param("orgId", orgId).param("provider", provider.id())
                .param("policy", json.writeValueAsString(policy))
                .param("updatedBy", caller instanceof Caller.User user ? user.userId() : null)
                .param("now", Timestamp.from(clock.instant()))
                .update();
        changes.publishLocallyAfterCommit("policy", orgId.toString());
        events.publishEvent(new PolicyChanged(caller, orgId, provider, policy)); // audited in this transaction
        return load(orgId, provider);
    }

    /**
     * The organization's policy for the provider, or the provider's defaults when it has none:
     * from the cache, which every instance drops when a policy changes. The policy is shared:
     * never change its {@code pinned} object (merges copy it).
     */
    public SessionPolicy policyFor(UUID orgId, Provider provider) {
        return cache.get(new PolicyKey(orgId, provider));
    }

    private SessionPolicy load(UUID orgId, Provider provider) {
        Optional<String> stored = jdbc.sql("SELECT policy::text FROM session_policies WHERE org_id = :orgId AND provider = :provider")
                .param("orgId", orgId).param("provider", provider.id()).query(String.class).optional();
        return stored.map(text -> json.readValue(text, SessionPolicy.class))
                .orElseGet(() -> defaults(adapters.get(provider)));
    }

    static SessionPolicy defaults(ProviderAdapter<?> adapter) {
        return new SessionPolicy(JsonNodeFactory.instance.objectNode(), adapter.defaultAllowedOverrides(),
                adapter.ttl().defaultSeconds(), adapter.ttl().maxSeconds(), null, false);
    }

    private void validate(ProviderAdapter<?> adapter, SessionPolicy policy) {
        ProviderAdapter.TtlRange range = adapter.ttl();
        checkTtl("default_ttl_seconds", policy.defaultTtlSeconds(), range);
        checkTtl("max_ttl_seconds", policy.maxTtlSeconds(), range);
        if (policy.defaultTtlSeconds() != null && policy.maxTtlSeconds() != null
                && policy.defaultTtlSeconds() > policy.maxTtlSeconds()) {
            throw LatchkeyException.invalidField("default_ttl_seconds", "must not exceed max_ttl_seconds");
        }
        if (policy.maxSessionSeconds() != null && (policy.maxSessionSeconds() < 1 || policy.maxSessionSeconds() > 86_400)) {
            throw LatchkeyException.invalidField("max_session_seconds", "must be between 1 and 86400");
        }
        if (policy.allowedOverrides().size() > 100) {
            throw LatchkeyException.invalidField("allowed_overrides", "must have at most 100 entries");
        }
        for (String path : policy.allowedOverrides()) {
            if (path == null || !path.matches(OVERRIDE_PATH)) {
                throw LatchkeyException.invalidField("allowed_overrides",
                        "entries must be dotted field paths such as audio.output.voice, or *");
            }
        }
        if (policy.pinned() != null && json.writeValueAsBytes(policy.pinned()).length > MAX_PINNED_BYTES) {
            throw LatchkeyException.invalidField("pinned", "must be at most " + MAX_PINNED_BYTES + " bytes");
        }
    }

    private static void checkTtl(String field, Integer value, ProviderAdapter.TtlRange range) {
        if (value != null && (value < range.minSeconds() || value > range.maxSeconds())) {
            throw LatchkeyException.invalidField(field, "must be between " + range.minSeconds() + " and "
                    + range.maxSeconds() + " for this provider");
        }
    }
}
