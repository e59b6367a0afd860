package dev.latchkey.ratelimit;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code rateLimits} component of the readiness group. {@code UP} while buckets are shared
 * through Redis (or kept in memory by design, in the embedded default); {@code DEGRADED} while
 * Redis is configured but unreachable. DEGRADED ranks below UP but answers 200: the instance
 * still serves every request (limits per instance, monthly allowances exact from PostgreSQL), so
 * a load balancer must keep sending it traffic, while operators and dashboards see the outage.
 * Each probe asks Redis, so the status recovers by itself when Redis returns.
 */
final class RateLimitsHealthIndicator implements HealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED",
            "Redis is unreachable: rate limits are counted per instance");

    private final FailoverBucketStore redis;

    /** {@code redis} null: no Redis configured, buckets in memory by design. */
    RateLimitsHealthIndicator(FailoverBucketStore redis) {
        this.redis = redis;
    }

    @Override
    public Health health() {
        if (redis == null) {
            return Health.up().withDetail("store", "memory").build();
        }
        if (redis.probe()) {
            return Health.up().withDetail("store", "redis").build();
        }
        return Health.status(DEGRADED).withDetail("store", "memory (Redis unreachable)").build();
    }
}
