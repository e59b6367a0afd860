package dev.latchkey.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Prunes audit events older than {@code latchkey.audit.retention} (0, the default, keeps them
 * forever) without breaking the chain. Only a prefix of the chain is ever pruned, in batches;
 * each batch is first verified, then the hash of its last row is sealed in {@code audit_seals}
 * (verification then starts from that anchor), then the rows are deleted under the one
 * exception the database trigger allows ({@code SET LOCAL latchkey.audit_retention = 'on'},
 * sealed rows older than the seal's cutoff only), and an {@code audit.retention_pruned} event
 * attests the seal in the chain itself. Sealing and deleting happen in the schema owner's
 * {@code audit_prune_sealed_prefix} (V9): the application's role may do neither itself.
 */
@Component
class AuditRetention {

    static final Duration MINIMUM = Duration.ofDays(1);
    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

    private final JdbcClient jdbc;
    private final AuditService audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration retention;
    private final int batchSize;

    AuditRetention(JdbcClient jdbc, AuditService audit, TransactionTemplate transactions, Clock clock,
            @Value("${latchkey.audit.retention:0s}") Duration retention,
            @Value("${latchkey.audit.retention-batch-size:10000}") int batchSize) {
        if (!retention.isZero() && retention.compareTo(MINIMUM) < 0) {
            throw new IllegalStateException("latchkey.audit.retention must be 0 (keep forever) or at least "
                    + MINIMUM.toDays() + " day; it is " + retention);
        }
        if (batchSize < 1) {
            throw new IllegalStateException("latchkey.audit.retention-batch-size must be positive");
        }
        this.jdbc = jdbc;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.retention = retention;
        this.batchSize = batchSize;
    }

    @Scheduled(fixedDelayString = "${latchkey.audit.retention-interval:1h}",
            initialDelayString = "${latchkey.audit.retention-initial-delay:10m}")
    void pruneOnSchedule() {
        if (!retention.isZero()) {
            prune(clock.instant().minus(retention));
        }
    }

    /** Prunes the longest prefix of the chain whose rows all occurred before {@code cutoff}; returns the rows pruned. */
    long prune(Instant cutoff) {
        long total = 0;
        long pruned;
        do {
            pruned = transactions.execute(status -> pruneBatch(cutoff));
            total += pruned;
        } while (pruned > 0);
        if (total > 0) {
            log.info("Audit retention pruned {} events that occurred before {}", total, cutoff);
        }
        return total;
    }

    private record Pruned(long firstSeq, String anchorHash, long rows) {
    }

    private long pruneBatch(Instant cutoff) {
        ChainWalk.Head head = audit.lockHead(); // appends wait until the batch commits
        ChainWalk.Anchor anchor = audit.anchor();
        long none = head.lastSeq() + 1;
        long first = jdbc.sql("SELECT coalesce(min(seq), :none) FROM audit_events").param("none", none)
                .query(Long.class).single();
        long firstKept = jdbc.sql("SELECT coalesce(min(seq), :none) FROM audit_events WHERE occurred_at >= :cutoff")
                .param("none", none).param("cutoff", Timestamp.from(cutoff)).query(Long.class).single();
        long through = Math.min(firstKept - 1, first + batchSize - 1);
        if (first == none || through < first) {
            return 0;
        }
        ChainVerification verification = audit.verifyThrough(anchor, through);
        if (!verification.intact()) {
            log.error("AUDIT CHAIN BROKEN at seq {} (id {}): {}; retention refuses to seal and prune it",
                    verification.firstBrokenSeq(), verification.firstBrokenId(), verification.reason());
            return 0;
        }
        // The application's database role may not write seals or delete audit rows: the owner's
        // function (V9) seals the prefix from the rows' own hashes and deletes it.
        Pruned pruned = jdbc.sql("SELECT pruned_from, anchor_hash, rows_deleted FROM audit_prune_sealed_prefix(:through,"
                        + " :cutoff)")
                .param("through", through).param("cutoff", Timestamp.from(cutoff))
                .query((rs, n) -> new Pruned(rs.getLong(1), rs.getString(2), rs.getLong(3))).single();
        audit.record(AuditEvent.success(ChainWalk.RETENTION_PRUNED).target("audit_seal", through)
                .detail("through_seq", through).detail("anchor_hash", pruned.anchorHash())
                .detail("first_seq", pruned.firstSeq()).detail("rows", pruned.rows())
                .detail("occurred_before", cutoff).build());
        return pruned.rows();
    }
}
