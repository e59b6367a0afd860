package dev.latchkey.quota;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.accounts.OrgAccess;
import dev.latchkey.accounts.OrganizationService;
import dev.latchkey.accounts.Permission;
import dev.latchkey.changes.ChangeFeed;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.ratelimit.RateLimit;
import dev.latchkey.ratelimit.RateLimitDecision;
import dev.latchkey.ratelimit.RateLimiter;

/**
 * Quotas: each organization's request rate (token buckets through {@link RateLimiter}, shared
 * through Redis) and monthly allowance of billable events (exact, counted in PostgreSQL), from
 * its plan with a platform admin's overrides, plus an optional rate per API key.
 *
 * <p>Billable requests go {@link #admit} → ({@link #take} → upstream call →) commit →
 * {@link #settled} or {@link #giveBack}. The ledger's {@code MeteringService} does exactly that;
 * other capabilities call it, not these steps.
 */
@Service
public class QuotaService {

    static final ProblemType QUOTA_EXCEEDED = new ProblemType("/problems/quota-exceeded", 429,
            "Monthly allowance used up");

    private final QuotaLimits limits;
    private final AllowanceLeases leases;
    private final ManagedCapacity managedCapacity;
    private final RateLimiter rateLimiter;
    private final OrgAccess orgAccess;
    private final OrganizationService organizations;
    private final ApplicationEventPublisher events;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final ChangeFeed changes;
    private final Counter rateRefusals;
    private final Counter allowanceRefusals;

    QuotaService(QuotaLimits limits, AllowanceLeases leases, ManagedCapacity managedCapacity, RateLimiter rateLimiter,
            OrgAccess orgAccess, OrganizationService organizations, ApplicationEventPublisher events, JdbcClient jdbc, Clock clock,
            ChangeFeed changes, MeterRegistry meters) {
        this.managedCapacity = managedCapacity;
        this.changes = changes;
        this.limits = limits;
        this.leases = leases;
        this.rateLimiter = rateLimiter;
        this.orgAccess = orgAccess;
        this.organizations = organizations;
        this.events = events;
        this.jdbc = jdbc;
        this.clock = clock;
        this.rateRefusals = Counter.builder("latchkey.quota.refusals").tag("reason", "rate")
                .description("Billable requests refused by a quota").register(meters);
        this.allowanceRefusals = Counter.builder("latchkey.quota.refusals").tag("reason", "monthly_allowance")
                .description("Billable requests refused by a quota").register(meters);
    }

    /** The organization's limits and usage this month, for its members and its API keys with {@code usage:read}. */
    @Transactional(readOnly = true)
    public QuotaView get(Caller caller, UUID orgId) {
        orgAccess.require(caller, orgId, Permission.USAGE_READ);
        return view(orgId, limits.of(orgId));
    }

    /**
     * A platform admin moves an organization to a plan and sets (or clears) its overrides.
     *
     * @throws LatchkeyException 404 for anyone but a platform admin and for an unknown organization
     */
    @Transactional
    public QuotaView change(Caller.User admin, UUID orgId, QuotaChange change) {
        QuotaLimits.Limits before = limits.current(orgId);
        if (change.plan() != null && !limits.planExists(change.plan())) {
            throw LatchkeyException.invalidField("plan", "is not a known plan");
        }
        if (change.plan() != null && !change.plan().equals(before.plan())) {
            organizations.changePlan(orgId, change.plan());
        }
        QuotaView.Rate rate = change.rate();
        jdbc.sql("""
                INSERT INTO org_quota_overrides (org_id, rate_limit, rate_window_seconds, rate_burst,
                    monthly_allowance, updated_by, updated_at)
                VALUES (:orgId, :limit, :window, :burst, :allowance, :by, :now)
                ON CONFLICT (org_id) DO UPDATE SET rate_limit = EXCLUDED.rate_limit,
                    rate_window_seconds = EXCLUDED.rate_window_seconds, rate_burst = EXCLUDED.rate_burst,
                    monthly_allowance = EXCLUDED.monthly_allowance, updated_by = EXCLUDED.updated_by,
                    updated_at = EXCLUDED.updated_at""")
                .param("orgId", orgId)
                .param("limit", rate == null ? null : Math.toIntExact(rate.limit()), Types.INTEGER)
                .param("window", rate == null ? null : Math.toIntExact(rate.windowSeconds()), Types.INTEGER)
                .param("burst", rate == null ? null : Math.toIntExact(rate.burst()), Types.INTEGER)
                .param("allowance", change.monthlyAllowance(), Types.BIGINT)
                .param("by", admin.userId())
                .param("now", Timestamp.from(clock.instant()))
                .update();
        changes.publishLocallyAfterCommit("org", orgId.toString());
        QuotaView after = view(orgId, limits.current(orgId));
        events.publishEvent(new QuotaChanged(admin, orgId, after)); // audited in this transaction
        return after;
    }

    /**
     * Takes one request from the API key's bucket (when the key has a rate limit of its own) and
     * from the organization's. Returns the tighter decision, whose {@code headers()} the response
     * carries.
     *
     * @throws LatchkeyException 429 {@code /problems/rate-limited} with {@code Retry-After} and
     *         {@code RateLimit-*} headers when either bucket is empty
     */
    public RateLimitDecision admit(UUID orgId, UUID apiKeyId) {
        RateLimitDecision keyDecision = null;
        Optional<Integer> perMinute = apiKeyId == null ? Optional.empty() : limits.perMinuteOf(apiKeyId);
        if (perMinute.isPresent()) {
            keyDecision = rateLimiter.tryConsume("quota:api-key:" + apiKeyId,
                    new RateLimit(perMinute.get(), Duration.ofMinutes(1)));
            if (!keyDecision.allowed()) {
                rateRefusals.increment();
                throw refused(keyDecision, "This API key's rate limit of " + perMinute.get()
                        + " requests per minute is reached");
            }
        }
        QuotaLimits.Limits orgLimits = limits.of(orgId);
        RateLimitDecision orgDecision = rateLimiter.tryConsume("quota:org:" + orgId, orgLimits.rateLimit());
        if (!orgDecision.allowed()) {
            rateRefusals.increment();
            throw refused(orgDecision, "The organization's rate limit of " + orgLimits.rate().limit()
                    + " requests per " + orgLimits.rate().windowSeconds() + " s is reached");
        }
        return keyDecision != null && keyDecision.remaining() < orgDecision.remaining() ? keyDecision : orgDecision;
    }

    /**
     * Takes {@code quantity} of this month's allowance before a request's work, from a lease this
     * instance holds for the commit lane {@code lane} that will bill it (no database round trip
     * but one per lease). Exact: with an allowance of N, at
     * most N units are ever leased, whatever the concurrency and the number of instances.
     *
     * @throws LatchkeyException 429 {@code /problems/quota-exceeded}, {@code Retry-After} until the next month
     */
    public AllowanceGrant take(UUID orgId, long quantity, int lane) {
        if (quantity <= 0) {
            throw new IllegalArgumentException("A grant needs a positive quantity");
        }
        return leases.take(orgId, quantity, lane).orElseThrow(() -> quotaExceeded(orgId));
    }

    /** The request billed nothing (its call failed, or its commit refused it): the units go back. */
    public void giveBack(AllowanceGrant grant) {
        leases.giveBack(grant);
    }

    /** The request's commit settled the units against their lease. */
    public void settled(AllowanceGrant grant) {
        leases.settled(grant);
    }

    /**
     * Takes {@code quantity} of a managed credential's platform-wide caps for one request, after
     * the organization's own limits and allowance and before its work: one token of the
     * credential's per-minute bucket (Redis, exact) and units of its month (a lease, exact).
     *
     * @throws LatchkeyException 429 {@code /problems/managed-capacity} with {@code Retry-After} only
     */
    public ManagedGrant takeManaged(ManagedCap cap, long quantity) {
        if (quantity <= 0) {
            throw new IllegalArgumentException("A grant needs a positive quantity");
        }
        return managedCapacity.take(cap, quantity);
    }

    /** The request billed nothing: its units of the managed credential's month go back. */
    public void giveBackManaged(ManagedGrant grant) {
        managedCapacity.giveBack(grant);
    }

    /** The request was billed: its units of the managed credential's month are spent. */
    public void settledManaged(ManagedGrant grant) {
        managedCapacity.settled(grant);
    }

    /** The 429 for an organization whose monthly allowance is used up, counted as a refusal. */
    public LatchkeyException quotaExceeded(UUID orgId) {
        allowanceRefusals.increment();
        long allowance = limits.of(orgId).monthlyAllowance();
        Instant now = clock.instant();
        BillingPeriod period = BillingPeriod.containing(now);
        Duration untilNextPeriod = Duration.between(now, period.end());
        RateLimitDecision decision = new RateLimitDecision(false, allowance, 0, untilNextPeriod, untilNextPeriod);
        return new LatchkeyException(QUOTA_EXCEEDED, "The monthly allowance of " + allowance
                + " billable events is used up; it renews at " + period.end(), List.of(), decision.headers());
    }

    private QuotaView view(UUID orgId, QuotaLimits.Limits in) {
        BillingPeriod period = BillingPeriod.containing(clock.instant());
        long used = used(orgId, period);
        return new QuotaView(in.plan(), in.rate(), new QuotaView.Monthly(in.monthlyAllowance(), used,
                Math.max(0, in.monthlyAllowance() - used), period.toString(), period.end()), in.overrides());
    }

    /** Billed usage: the counter less what live leases hold but have not billed. */
    private long used(UUID orgId, BillingPeriod period) {
        return jdbc.sql("""
                SELECT c.used - coalesce((SELECT sum(l.quantity - l.used) FROM allowance_leases l
                                          WHERE l.org_id = c.org_id AND l.period = c.period), 0)
                FROM allowance_counters c WHERE c.org_id = :orgId AND c.period = :period""")
                .param("orgId", orgId).param("period", period.toString())
                .query(Long.class).optional().orElse(0L);
    }

    private static LatchkeyException refused(RateLimitDecision decision, String detail) {
        return new LatchkeyException(ProblemType.RATE_LIMITED, detail + "; retry in "
                + decision.headers().get("Retry-After") + " s", List.of(), decision.headers());
    }

}
