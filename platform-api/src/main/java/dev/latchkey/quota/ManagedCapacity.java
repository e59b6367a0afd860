package dev.latchkey.quota;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.ratelimit.RateLimit;
import dev.latchkey.ratelimit.RateLimitDecision;
import dev.latchkey.ratelimit.RateLimiter;

/**
 * The platform-wide caps of managed credentials, after an organization's own limits: so that one
 * tenant cannot exhaust the platform's provider account for the others. Both are exact across
 * instances: the per-minute bucket is decided in Redis every time (never in memory, whatever its
 * size), the monthly cap is counted in PostgreSQL through leases ({@link ManagedCapLeases}). A
 * refusal is a 429 that says which provider's managed capacity is exhausted and when to retry, and
 * nothing else: no limit, no remaining count, nothing of other organizations' use.
 */
@Component
class ManagedCapacity {

    static final ProblemType MANAGED_CAPACITY = new ProblemType("/problems/managed-capacity", 429,
            "Managed capacity exhausted");

    private final RateLimiter rateLimiter;
    private final ManagedCapLeases leases;
    private final Clock clock;
    private final Counter rateRefusals;
    private final Counter monthlyRefusals;

    ManagedCapacity(RateLimiter rateLimiter, ManagedCapLeases leases, Clock clock, MeterRegistry meters) {
        this.rateLimiter = rateLimiter;
        this.leases = leases;
        this.clock = clock;
        this.rateRefusals = Counter.builder("latchkey.quota.refusals").tag("reason", "managed_rate")
                .description("Billable requests refused by a quota").register(meters);
        this.monthlyRefusals = Counter.builder("latchkey.quota.refusals").tag("reason", "managed_monthly")
                .description("Billable requests refused by a quota").register(meters);
    }

    ManagedGrant take(ManagedCap cap, long quantity) {
        if (cap.requestsPerMinute() != null) {
            RateLimitDecision decision = rateLimiter.tryConsumeExactly("managed:credential:" + cap.credentialId(),
                    new RateLimit(cap.requestsPerMinute(), Duration.ofMinutes(1)));
            if (!decision.allowed()) {
                rateRefusals.increment();
                long retry = Math.max(1, (long) Math.ceil(decision.retryAfter().toMillis() / 1000.0));
                throw refused("Latchkey's managed " + cap.provider() + " capacity is busy right now; retry in "
                        + retry + " s", retry);
            }
        }
        if (cap.requestsPerMonth() == null) {
            return new ManagedGrant(null, cap.credentialId(), quantity);
        }
        return leases.take(cap.credentialId(), quantity).orElseThrow(() -> {
            monthlyRefusals.increment();
            Instant now = clock.instant();
            BillingPeriod period = BillingPeriod.containing(now);
            long retry = Math.max(1, Duration.between(now, period.end()).toSeconds());
            return refused("Latchkey's managed " + cap.provider() + " capacity is used up for this month; it"
                    + " renews at " + period.end() + ". A credential of the organization's own is not limited by it",
                    retry);
        });
    }

    void giveBack(ManagedGrant grant) {
        if (grant.leaseId() != null) {
            leases.giveBack(grant);
        }
    }

    void settled(ManagedGrant grant) {
        if (grant.leaseId() != null) {
            leases.settled(grant);
        }
    }

    private static LatchkeyException refused(String detail, long retryAfterSeconds) {
        return new LatchkeyException(MANAGED_CAPACITY, detail, List.of(),
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }
}
