package dev.latchkey.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Prunes audit events older than {@code latchkey.audit.retention} (0, the default, keeps them
 * forever) without breaking the chain. Only a prefix of the chain is ever pruned, in batches, by one instance at a time;
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

    /** Serializes retention across instances; appends never wait for it. */
    private static final long RETENTION_LOCK = 0x4c4b_5245_5445_4e01L;

    /** Events pruned per transaction. */
    private static final int BATCH_SIZE = 10_000;
    /** Not at start-up: a rolling restart would have every instance prune at once. */
    private static final Duration INITIAL_DELAY = Duration.ofMinutes(10);

    private final JdbcClient jdbc;
    private final ChainVerifier verifier;
    private final PendingEvents pending;
    private final AuditSigningKey tags;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration retention;
    private final Duration interval;
    private final int batchSize;
    private volatile Instant nextRun;

    AuditRetention(JdbcClient jdbc, ChainVerifier verifier, PendingEvents pending, AuditSigningKey tags, TransactionTemplate transactions,
            Clock clock, AuditProperties settings) {
        Duration retention = settings.retention();
        if (!retention.isZero() && retention.compareTo(MINIMUM) < 0) {
            throw new IllegalStateException("latchkey.audit.retention must be 0 (keep forever) or at least "
                    + MINIMUM.toDays() + " day; it is " + retention);
        }
        this.jdbc = jdbc;
        this.verifier = verifier;
        this.pending = pending;
        this.tags = tags;
        this.transactions = transactions;
        this.clock = clock;
        this.retention = retention;
        this.interval = settings.retentionInterval();
        this.batchSize = BATCH_SIZE;
        this.nextRun = clock.instant().plus(INITIAL_DELAY);
    }

    /** Called by the audit linker's leader between batches: prunes once per interval. */
    void pruneIfDue() {
        Instant now = clock.instant();
        if (retention.isZero() || now.isBefore(nextRun)) {
            return;
        }
        nextRun = now.plus(interval);
        try {
            prune(now.minus(retention));
        } catch (RuntimeException e) {
            log.error("Audit retention failed: {}", e.getMessage(), e);
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
        boolean mine = jdbc.sql("SELECT pg_try_advisory_xact_lock(" + RETENTION_LOCK + ")").query(Boolean.class).single();
        if (!mine) {
            return 0; // another instance prunes right now
        }
        ChainWalk.Anchor anchor = jdbc.sql("SELECT seq, hash FROM audit_seals ORDER BY seq DESC LIMIT 1")
                .query((rs, n) -> new ChainWalk.Anchor(rs.getLong(1), rs.getString(2)))
                .optional().orElse(ChainWalk.Anchor.GENESIS);
        Instant sealedBefore = cutoff.truncatedTo(ChronoUnit.MICROS);
        // One statement, so one snapshot: the linker appends rows meanwhile, and a last old row read
        // after the first kept one was looked for could be one that is not old.
        long[] prefix = jdbc.sql("""
                        SELECT coalesce(min(seq), 0),
                               coalesce((SELECT min(seq) - 1 FROM audit_events WHERE occurred_at >= :cutoff), max(seq), 0)
                        FROM audit_events""")
                .param("cutoff", Timestamp.from(sealedBefore))
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();
        long first = prefix[0];
        long lastOld = prefix[1];
        long through = Math.min(lastOld, first + batchSize - 1);
        if (first == 0 || through < first) {
            return 0;
        }
        ChainVerification verification = verifier.verifySegment(anchor, through);
        if (!verification.intact()) {
            log.error("AUDIT CHAIN BROKEN at seq {} (id {}): {}; retention refuses to seal and prune it",
                    verification.firstBrokenSeq(), verification.firstBrokenId(), verification.reason());
            return 0;
        }
        String sealedHash = jdbc.sql("SELECT hash FROM audit_events WHERE seq = :seq").param("seq", through)
                .query(String.class).single();
        String signature = tags.tag(ChainVerifier.sealMessage(through, sealedHash, first, sealedBefore));
        // The application's database role may not write seals or delete audit rows: the owner's
        // function (V9, signed since V10) seals the prefix from the rows' own hashes and deletes it;
        // the seal carries the signature made here, with the key the database never sees.
        Pruned pruned = jdbc.sql("SELECT pruned_from, anchor_hash, rows_deleted FROM audit_prune_sealed_prefix(:through,"
                        + " :cutoff, :keyId, :signature)")
                .param("through", through).param("cutoff", Timestamp.from(sealedBefore))
                .param("keyId", signature.substring(0, signature.lastIndexOf(':'))).param("signature", signature)
                .query((rs, n) -> new Pruned(rs.getLong(1), rs.getString(2), rs.getLong(3))).single();
        if (pruned.firstSeq() != first || !pruned.anchorHash().equals(sealedHash)) {
            throw new IllegalStateException("Audit retention sealed another prefix than it signed");
        }
        attest(through, pruned.anchorHash(), pruned.firstSeq(), pruned.rows(), cutoff);
        return pruned.rows();
    }

    /** The seal's attestation in the chain itself: an event that the linker appends like any other. */
    private void attest(long through, String sealedHash, long first, long deleted, Instant cutoff) {
        AuditEvent event = AuditEvent.success(ChainWalk.RETENTION_PRUNED).target("audit_seal", through)
                .detail("through_seq", through).detail("anchor_hash", sealedHash).detail("first_seq", first)
                .detail("rows", deleted).detail("occurred_before", cutoff).build();
        pending.append(event);
    }
}
