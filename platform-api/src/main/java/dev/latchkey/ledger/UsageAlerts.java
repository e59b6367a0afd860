package dev.latchkey.ledger;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.latchkey.quota.BillingPeriod;
import dev.latchkey.quota.QuotaProperties;

/**
 * Usage alerts: when a settled request takes an organization's usage to or past 50, 80 or 100 %
 * ({@code latchkey.quota.alert-thresholds}) of its monthly allowance, the crossing is recorded
 * once per period (a unique row) and published as {@link UsageThresholdCrossed} in the same
 * transaction (the event publication registry keeps it until its listeners, such as webhooks,
 * have handled it).
 */
@Component
class UsageAlerts {

    private static final Logger log = LoggerFactory.getLogger(UsageAlerts.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final List<Integer> thresholds;
    /** Crossings this instance knows are recorded, so it does not ask the database again. */
    private final Cache<String, Boolean> recorded = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofDays(32)).build();

    UsageAlerts(JdbcClient jdbc, TransactionTemplate transactions, ApplicationEventPublisher events, Clock clock,
            QuotaProperties quota) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
        this.thresholds = quota.alertThresholds().stream().sorted().toList();
    }

    /** The usage after a billed request: {@code usedAfter} of {@code allowance} this period. */
    private record Usage(UUID orgId, BillingPeriod period, long usedAfter, long allowance) {
    }

    /**
     * Called after a request's commit with the period's billed usage; never fails the request
     * that called it, and reads the database only when a threshold not yet known is crossed.
     */
    void settled(UUID orgId, Instant at, long usedAfter, long allowance) {
        Usage usage = new Usage(orgId, BillingPeriod.containing(at), usedAfter, allowance);
        try {
            for (int threshold : thresholds) {
                if (allowance > 0 && usedAfter >= mark(allowance, threshold)) {
                    record(usage, threshold);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Could not record a usage alert for organization {}", orgId, e);
        }
    }

    /** The usage at which {@code percent} of {@code allowance} is reached (rounded up). */
    static long mark(long allowance, int percent) {
        return (allowance * percent + 99) / 100;
    }

    private void record(Usage usage, int threshold) {
        String key = usage.orgId() + ":" + usage.period() + ":" + threshold;
        if (recorded.getIfPresent(key) != null) {
            return;
        }
        transactions.executeWithoutResult(status -> {
            UUID id = UUID.randomUUID();
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Optional<UUID> inserted = jdbc.sql("""
                    INSERT INTO usage_alerts (id, org_id, period, threshold_percent, used, allowance, occurred_at)
                    VALUES (:id, :orgId, :period, :threshold, :used, :allowance, :now)
                    ON CONFLICT (org_id, period, threshold_percent) DO NOTHING
                    RETURNING id""")
                    .param("id", id).param("orgId", usage.orgId())
                    .param("period", usage.period().toString()).param("threshold", threshold)
                    .param("used", usage.usedAfter()).param("allowance", usage.allowance())
                    .param("now", Timestamp.from(now))
                    .query(UUID.class).optional();
            if (inserted.isPresent()) {
                events.publishEvent(new UsageThresholdCrossed(id, usage.orgId(), now, threshold,
                        usage.period().toString(), usage.usedAfter(), usage.allowance()));
                log.info("Organization {} crossed {} % of its monthly allowance for {}", usage.orgId(),
                        threshold, usage.period());
            }
        });
        recorded.put(key, Boolean.TRUE);
    }
}
