package dev.latchkey.quota;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The monthly allowance counters in PostgreSQL. A reservation raises the counter with one
 * conditional statement ({@code used + n <= allowance}), committed at once in a transaction of
 * its own: row locking makes it exact under any concurrency and on any number of instances, and
 * no lock is held while the upstream call runs.
 */
@Component
class Allowances {

    private static final Logger log = LoggerFactory.getLogger(Allowances.class);

    /** Gives back what reservations held, one counter update per organization and period. */
    private static final String GIVE_BACK = """
            UPDATE allowance_counters c SET used = greatest(c.used - r.quantity, 0)
            FROM (SELECT org_id, period, sum(quantity) AS quantity FROM released GROUP BY org_id, period) r
            WHERE c.org_id = r.org_id AND c.period = r.period""";

    private final JdbcClient jdbc;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;
    private final Duration reservationTimeout;

    Allowances(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock,
            @Value("${latchkey.quota.reservation-timeout:5m}") Duration reservationTimeout) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
        this.reservationTimeout = reservationTimeout;
    }

    /** Reserves {@code quantity} of the period's allowance, or empty when it would exceed it. */
    Optional<AllowanceReservation> reserve(UUID orgId, BillingPeriod period, long quantity, long allowance) {
        return ownTransaction.execute(status -> {
            Optional<Long> used = jdbc.sql("""
                    INSERT INTO allowance_counters AS c (org_id, period, used)
                    SELECT :orgId, :period, :quantity WHERE :quantity <= :allowance
                    ON CONFLICT (org_id, period) DO UPDATE SET used = c.used + :quantity
                        WHERE c.used + :quantity <= :allowance
                    RETURNING c.used""")
                    .param("orgId", orgId).param("period", period.toString()).param("quantity", quantity)
                    .param("allowance", allowance)
                    .query(Long.class).optional();
            if (used.isEmpty()) {
                return Optional.<AllowanceReservation>empty();
            }
            Instant now = clock.instant();
            UUID id = UUID.randomUUID();
            jdbc.sql("""
                    INSERT INTO allowance_reservations (id, org_id, period, quantity, created_at, expires_at)
                    VALUES (:id, :orgId, :period, :quantity, :now, :expiresAt)""")
                    .param("id", id).param("orgId", orgId).param("period", period.toString())
                    .param("quantity", quantity).param("now", Timestamp.from(now))
                    .param("expiresAt", Timestamp.from(now.plus(reservationTimeout)))
                    .update();
            return Optional.of(new AllowanceReservation(id, orgId, period, quantity, used.get(), allowance));
        });
    }

    /** Gives the reservation back, in a transaction of its own; a second release changes nothing. */
    void release(AllowanceReservation reservation) {
        ownTransaction.executeWithoutResult(status -> jdbc.sql(
                "WITH released AS (DELETE FROM allowance_reservations WHERE id = :id RETURNING org_id, period, quantity) "
                        + GIVE_BACK)
                .param("id", reservation.id()).update());
    }

    /**
     * Makes the reservation final, in the caller's transaction (the one that commits the ledger
     * row). Should the sweeper have released it already (the upstream call outlived the
     * reservation timeout), the usage is counted again: the event is billed, so it is used.
     */
    void settle(AllowanceReservation reservation) {
        int deleted = jdbc.sql("DELETE FROM allowance_reservations WHERE id = :id")
                .param("id", reservation.id()).update();
        if (deleted == 0) {
            log.warn("Allowance reservation {} expired before it was settled; counting its usage again",
                    reservation.id());
            jdbc.sql("""
                    INSERT INTO allowance_counters AS c (org_id, period, used) VALUES (:orgId, :period, :quantity)
                    ON CONFLICT (org_id, period) DO UPDATE SET used = c.used + :quantity""")
                    .param("orgId", reservation.orgId()).param("period", reservation.period().toString())
                    .param("quantity", reservation.quantity()).update();
        }
    }

    long used(UUID orgId, BillingPeriod period) {
        return jdbc.sql("SELECT used FROM allowance_counters WHERE org_id = :orgId AND period = :period")
                .param("orgId", orgId).param("period", period.toString())
                .query(Long.class).optional().orElse(0L);
    }

    /** Releases reservations whose instance never settled nor released them (it crashed). */
    @Scheduled(fixedDelayString = "${latchkey.quota.reservation-sweep-interval:30s}")
    void releaseExpired() {
        int released = ownTransaction.execute(status -> jdbc.sql(
                "WITH released AS (DELETE FROM allowance_reservations WHERE expires_at <= :now"
                        + " RETURNING org_id, period, quantity) " + GIVE_BACK)
                .param("now", Timestamp.from(clock.instant())).update());
        if (released > 0) {
            log.info("Gave back the allowance of expired reservations on {} counters", released);
        }
    }
}
