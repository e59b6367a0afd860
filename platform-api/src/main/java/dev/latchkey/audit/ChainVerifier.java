package dev.latchkey.audit;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Checks the audit log's tamper evidence: every row links to the one before it and hashes to its
 * stored hash (from the genesis hash or the latest retention seal), the chain head names the last
 * row, every signed checkpoint matches the row at its seq and carries a valid tag from the key
 * outside the database, and a retention seal is signed too. Someone with the database's logins can
 * recompute hashes, but not the tags: rewritten history fails at the first checkpoint after it.
 */
@Component
class ChainVerifier {

    private static final int FETCH_SIZE = 500;
    private static final int CHECKPOINT_PAGE = 1000;

    private final JdbcClient jdbc;
    private final AuditSigningKey tags;
    private final TransactionTemplate snapshot;
    private final Clock clock;

    ChainVerifier(JdbcClient jdbc, AuditSigningKey tags, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.tags = tags;
        this.clock = clock;
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setReadOnly(true);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** A checkpoint as stored: the chain's seq and hash, signed. */
    record Checkpoint(long seq, String hash, String signature) {
    }

    static String checkpointMessage(long seq, String hash) {
        return "latchkey:audit-checkpoint:v1:" + seq + ":" + hash;
    }

    static String sealMessage(long seq, String hash, long firstSeq, Instant occurredBefore) {
        return "latchkey:audit-seal:v1:" + seq + ":" + hash + ":" + firstSeq + ":"
                + ChronoUnit.MICROS.between(Instant.EPOCH, occurredBefore);
    }

    /** The whole chain from its anchor, in one snapshot (rows linked meanwhile are left for the next walk). */
    ChainVerification verifyAll() {
        return snapshot.execute(status -> {
            Optional<Seal> seal = latestSeal();
            ChainWalk.Anchor anchor = seal.map(s -> new ChainWalk.Anchor(s.seq(), s.hash())).orElse(ChainWalk.Anchor.GENESIS);
            ChainWalk.Head head = head();
            ChainWalk walk = walkFrom(anchor, seal.isPresent());
            CheckpointCheck checkpoints = new CheckpointCheck(anchor.seq());
            ChainVerification verdict = seal.flatMap(this::unsignedSeal)
                    .or(() -> walk(walk, checkpoints, anchor.seq(), head.lastSeq()))
                    .orElseGet(() -> walk.finish(head));
            if (verdict.intact()) {
                verdict = checkpoints.beyond(head.lastSeq()).orElse(verdict);
            }
            return pending(verdict.withCheckpoints(checkpoints.checked, checkpoints.last));
        });
    }

    /**
     * The rows from {@code from} (a row already verified, or the anchor) through the head: the
     * scheduled check, so that it reads only what is new. Starts from the latest seal if
     * retention pruned past {@code from}.
     */
    /** An incremental verdict and where the next one starts. */
    record Progress(ChainVerification verdict, ChainWalk.Anchor position) {
    }

    Progress verifyFrom(ChainWalk.Anchor from) {
        return snapshot.execute(status -> {
            Optional<Seal> seal = latestSeal();
            Optional<Seal> newSeal = seal.filter(s -> s.seq() >= from.seq());
            ChainWalk.Anchor anchor = newSeal.map(s -> new ChainWalk.Anchor(s.seq(), s.hash())).orElse(from);
            ChainWalk.Head head = head();
            ChainWalk walk = walkFrom(anchor, newSeal.isPresent());
            CheckpointCheck checkpoints = new CheckpointCheck(anchor.seq());
            ChainVerification verdict = seal.flatMap(this::unsignedSeal)
                    .or(() -> walk(walk, checkpoints, anchor.seq(), head.lastSeq()))
                    .orElseGet(() -> newSeal.isPresent() ? walk.finish(head) : walk.finishSegment(head));
            if (verdict.intact()) {
                verdict = checkpoints.beyond(head.lastSeq()).orElse(verdict);
            }
            return new Progress(pending(verdict.withCheckpoints(checkpoints.checked, checkpoints.last)),
                    verdict.intact() ? walk.position() : from);
        });
    }

    /**
     * The rows from the anchor through {@code throughSeq}, with their checkpoints, in the caller's
     * transaction: what retention checks before it seals and prunes them.
     */
    ChainVerification verifySegment(ChainWalk.Anchor anchor, long throughSeq) {
        ChainWalk walk = new ChainWalk(anchor);
        return walk(walk, new CheckpointCheck(anchor.seq()), anchor.seq(), throughSeq).orElseGet(walk::intact);
    }

    private Optional<ChainVerification> walk(ChainWalk walk, CheckpointCheck checkpoints, long after, long through) {
        return jdbc.sql("SELECT " + AuditRows.COLUMNS + " FROM audit_events WHERE seq > :after AND seq <= :through"
                + " ORDER BY seq")
                .params(Map.of("after", after, "through", through)).withFetchSize(FETCH_SIZE)
                .query((ResultSet rs) -> {
                    while (rs.next()) {
                        AuditChain.Row row = AuditRows.row(rs);
                        String storedHash = rs.getString("hash");
                        ChainVerification broken = walk.next(row, rs.getString("prev_hash"), storedHash);
                        if (broken == null) {
                            broken = checkpoints.at(walk, row, storedHash);
                        }
                        if (broken != null) {
                            return Optional.of(broken);
                        }
                    }
                    return Optional.<ChainVerification>empty();
                });
    }

    /** A walk from the anchor; from a seal whose audit.retention_pruned event still waits for the linker, it counts as attested. */
    private ChainWalk walkFrom(ChainWalk.Anchor anchor, boolean sealed) {
        ChainWalk walk = new ChainWalk(anchor);
        if (sealed && attestationPending(anchor)) {
            walk.attestationPending();
        }
        return walk;
    }

    /** Whether the seal's audit.retention_pruned event is still waiting for the linker (in this snapshot). */
    private boolean attestationPending(ChainWalk.Anchor seal) {
        return jdbc.sql("""
                        SELECT EXISTS (SELECT 1 FROM audit_pending WHERE action = :action
                            AND details->>'through_seq' = :seq AND details->>'anchor_hash' = :hash)""")
                .param("action", ChainWalk.RETENTION_PRUNED).param("seq", Long.toString(seal.seq()))
                .param("hash", seal.hash()).query(Boolean.class).single();
    }

    private ChainVerification pending(ChainVerification verdict) {
        return jdbc.sql("SELECT count(*), min(occurred_at) FROM audit_pending")
                .query((rs, n) -> {
                    Timestamp oldest = rs.getTimestamp(2);
                    Double age = oldest == null ? null
                            : Math.max(0, Duration.between(oldest.toInstant(), clock.instant()).toMillis()) / 1000.0;
                    return verdict.withPending(rs.getLong(1), age);
                })
                .single();
    }

    private record Seal(long seq, String hash, long firstSeq, Instant occurredBefore, String signature) {
    }

    private Optional<Seal> latestSeal() {
        return jdbc.sql("SELECT seq, hash, first_seq, occurred_before, signature FROM audit_seals ORDER BY seq DESC LIMIT 1")
                .query((rs, n) -> new Seal(rs.getLong(1), rs.getString(2), rs.getLong(3),
                        rs.getTimestamp(4).toInstant(), rs.getString(5)))
                .optional();
    }

    /**
     * A seal made since checkpoints exist must carry a valid tag; a seal below the first checkpoint
     * predates signing and is trusted as before (its retention event still attests it).
     */
    private Optional<ChainVerification> unsignedSeal(Seal seal) {
        if (tags.verify(sealMessage(seal.seq(), seal.hash(), seal.firstSeq(), seal.occurredBefore()), seal.signature())) {
            return Optional.empty();
        }
        Optional<Long> firstCheckpoint = jdbc.sql("SELECT min(seq) FROM audit_checkpoints").query(Long.class).optional();
        if (seal.signature() == null && (firstCheckpoint.isEmpty() || seal.seq() < firstCheckpoint.get())) {
            return Optional.empty();
        }
        return Optional.of(ChainVerification.broken(0, seal.seq(), null, seal.seq(), null,
                "the retention seal at seq " + seal.seq() + " is not signed with the audit key: it was not made by"
                        + " retention"));
    }

    private ChainWalk.Head head() {
        return jdbc.sql("SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1")
                .query((rs, n) -> new ChainWalk.Head(rs.getLong(1), rs.getString(2)))
                .single();
    }

    /** Checkpoints above the anchor, read a page at a time alongside the rows. */
    private final class CheckpointCheck {
        private final Deque<Checkpoint> page = new ArrayDeque<>();
        private long after;
        private boolean exhausted;
        long checked;
        Long last;

        CheckpointCheck(long anchorSeq) {
            this.after = anchorSeq;
        }

        ChainVerification at(ChainWalk walk, AuditChain.Row row, String storedHash) {
            Checkpoint next = peek();
            if (next == null || next.seq() != row.seq()) {
                return null;
            }
            page.poll();
            if (!next.hash().equals(storedHash)) {
                return walk.brokenAt(row, "the signed checkpoint at seq " + row.seq() + " does not match the row:"
                        + " the chain up to it was rewritten");
            }
            if (!tags.verify(checkpointMessage(next.seq(), next.hash()), next.signature())) {
                return walk.brokenAt(row, "the checkpoint at seq " + row.seq() + " is not signed with the audit key");
            }
            checked++;
            last = next.seq();
            return null;
        }

        /** A checkpoint past the head: the end of the log was cut off. */
        Optional<ChainVerification> beyond(long headSeq) {
            Checkpoint next = peek();
            while (next != null && next.seq() <= headSeq) {
                page.poll();
                next = peek();
            }
            if (next == null) {
                return Optional.empty();
            }
            return Optional.of(ChainVerification.broken(0, 0, headSeq, next.seq(), null, "a signed checkpoint names seq "
                    + next.seq() + " but the chain ends at seq " + headSeq + ": rows were removed from its end"));
        }

        private Checkpoint peek() {
            if (page.isEmpty() && !exhausted) {
                List<Checkpoint> loaded = jdbc.sql("SELECT seq, hash, signature FROM audit_checkpoints WHERE seq > :after"
                        + " ORDER BY seq LIMIT " + CHECKPOINT_PAGE)
                        .param("after", after)
                        .query((rs, n) -> new Checkpoint(rs.getLong(1), rs.getString(2), rs.getString(3)))
                        .list();
                page.addAll(loaded);
                exhausted = loaded.size() < CHECKPOINT_PAGE;
                if (!loaded.isEmpty()) {
                    after = loaded.get(loaded.size() - 1).seq();
                }
            }
            return page.peek();
        }
    }
}
