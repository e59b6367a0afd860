package dev.latchkey.quota;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.latchkey.accounts.OrganizationService;
import dev.latchkey.apikeys.ApiKeyService;
import dev.latchkey.changes.CacheLoaders;
import dev.latchkey.changes.ChangeFeed;
import dev.latchkey.changes.RefreshingCache;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.ratelimit.RateLimit;

/**
 * An organization's effective limits: its plan's, with a platform admin's overrides on top.
 * Cached per instance, dropped on every instance when a plan, an override or the organization
 * changes (the change feed), and never older than {@code latchkey.quota.limits-cache-ttl} (1 s).
 */
@Component
class QuotaLimits {

    /** The limits in force for one organization. */
    record Limits(String plan, QuotaView.Rate rate, long monthlyAllowance, QuotaView.Overrides overrides) {
        RateLimit rateLimit() {
            return new RateLimit(rate.burst(), rate.limit(), Duration.ofSeconds(rate.windowSeconds()));
        }
    }

    private final JdbcClient jdbc;
    private final OrganizationService organizations;
    private final ApiKeyService apiKeys;
    private final RefreshingCache<UUID, Optional<Limits>> byOrg;
    private final RefreshingCache<UUID, Optional<Integer>> byApiKey;

    QuotaLimits(JdbcClient jdbc, OrganizationService organizations, ApiKeyService apiKeys, CacheLoaders loaders,
            ChangeFeed changes, QuotaProperties settings) {
        this.jdbc = jdbc;
        this.organizations = organizations;
        this.apiKeys = apiKeys;
        this.byOrg = loaders.cache(settings.limitsCacheTtl(), 100_000, this::load);
        this.byApiKey = loaders.cache(settings.limitsCacheTtl(), 100_000, apiKeys::rateLimitPerMinute);
        changes.subscribe("org", change -> {
            if (change.everything()) {
                byOrg.invalidateAll();
            } else {
                byOrg.invalidate(UUID.fromString(change.id()));
            }
        });
        changes.subscribe("api_key", change -> {
            if (change.everything()) {
                byApiKey.invalidateAll();
            } else {
                byApiKey.invalidate(UUID.fromString(change.id()));
            }
        });
    }

    /** @throws LatchkeyException 404 when there is no such organization */
    Limits of(UUID orgId) {
        return byOrg.get(orgId).orElseThrow(() -> LatchkeyException.notFound("Organization"));
    }

    /** The API key's own rate limit per minute, if it has one. */
    Optional<Integer> perMinuteOf(UUID apiKeyId) {
        return byApiKey.get(apiKeyId);
    }

    boolean planExists(String plan) {
        return jdbc.sql("SELECT count(*) FROM plans WHERE id = :plan").param("plan", plan).query(Long.class)
                .single() > 0;
    }

    /** Read now, past the cache: in the transaction that just changed them. */
    Limits current(UUID orgId) {
        return load(orgId).orElseThrow(() -> LatchkeyException.notFound("Organization"));
    }

    private Optional<Limits> load(UUID orgId) {
        Optional<String> known = organizations.plan(orgId);
        if (known.isEmpty()) {
            return Optional.empty();
        }
        String plan = known.get();
        return Optional.of(jdbc.sql("""
                SELECT p.rate_limit, p.rate_window_seconds, p.rate_burst, p.monthly_allowance,
                       o.rate_limit AS o_rate_limit, o.rate_window_seconds AS o_rate_window_seconds,
                       o.rate_burst AS o_rate_burst, o.monthly_allowance AS o_monthly_allowance
                FROM plans p LEFT JOIN org_quota_overrides o ON o.org_id = :orgId
                WHERE p.id = :plan""")
                .param("orgId", orgId).param("plan", plan)
                .query((rs, n) -> {
                    QuotaView.Rate planRate = new QuotaView.Rate(rs.getLong("rate_limit"),
                            rs.getLong("rate_window_seconds"), rs.getLong("rate_burst"));
                    QuotaView.Rate overriddenRate = rs.getObject("o_rate_limit") == null ? null
                            : new QuotaView.Rate(rs.getLong("o_rate_limit"), rs.getLong("o_rate_window_seconds"),
                                    rs.getLong("o_rate_burst"));
                    Long overriddenAllowance = (Long) rs.getObject("o_monthly_allowance");
                    return new Limits(plan, overriddenRate != null ? overriddenRate : planRate,
                            overriddenAllowance != null ? overriddenAllowance : rs.getLong("monthly_allowance"),
                            new QuotaView.Overrides(overriddenRate, overriddenAllowance));
                })
                .optional()
                .orElseThrow(() -> new IllegalStateException("Organization " + orgId + " has unknown plan " + plan)));
    }
}
