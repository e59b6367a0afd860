package dev.latchkey.audit;

import java.sql.ResultSet;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.latchkey.web.RequestMetadata;

/**
 * The one way to write the audit log. Each append locks the chain head, so rows are linked
 * in the order they commit.
 */
@Service
public class AuditService {

    private static final int FETCH_SIZE = 500;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate ownTransaction;

    AuditService(JdbcClient jdbc, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Records the event in the caller's transaction: it commits or rolls back with the action. */
    @Transactional(propagation = Propagation.REQUIRED)
    public void record(AuditEvent event) {
        append(event);
    }

    /**
     * Records a refusal or failure that must stay on record although the action itself is
     * rolled back. Call it only where no audit row was written earlier in the same transaction.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordIndependently(AuditEvent event) {
        append(event);
    }

    /**
     * Records the event once the current transaction has ended, committed or rolled back, in a
     * transaction of its own (at once when there is none): for refusals found inside a
     * transaction that the refusal then rolls back. Unlike {@link #recordIndependently}, safe
     * where the transaction already appended audit rows, since their lock is released by then.
     */
    public void recordAfterCompletion(AuditEvent event) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            ownTransaction.executeWithoutResult(status -> append(event));
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                ownTransaction.executeWithoutResult(own -> append(event));
            }
        });
    }

    /**
     * Walks the whole chain from its anchor (the genesis hash, or the latest retention seal) and
     * names the first row whose position, link or content does not match, or a missing end. One
     * snapshot: rows appended meanwhile are left for the next walk.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public ChainVerification verifyChain() {
        ChainWalk.Anchor anchor = anchor();
        ChainWalk.Head head = jdbc.sql("SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1")
                .query((rs, n) -> new ChainWalk.Head(rs.getLong(1), rs.getString(2)))
                .single();
        ChainWalk walk = new ChainWalk(anchor);
        return walk(walk, "SELECT " + AuditRows.COLUMNS + " FROM audit_events ORDER BY seq", Map.of())
                .orElseGet(() -> walk.finish(head));
    }

    /**
     * Walks the rows from the anchor through {@code throughSeq}, in the caller's transaction:
     * what retention checks before it seals and prunes them.
     */
    ChainVerification verifyThrough(ChainWalk.Anchor anchor, long throughSeq) {
        ChainWalk walk = new ChainWalk(anchor);
        return walk(walk, "SELECT " + AuditRows.COLUMNS + " FROM audit_events WHERE seq <= :through ORDER BY seq",
                Map.of("through", throughSeq)).orElseGet(walk::intact);
    }

    /** The latest retention seal, or the genesis hash when nothing was ever pruned. */
    ChainWalk.Anchor anchor() {
        return jdbc.sql("SELECT seq, hash FROM audit_seals ORDER BY seq DESC LIMIT 1")
                .query((rs, n) -> new ChainWalk.Anchor(rs.getLong(1), rs.getString(2)))
                .optional()
                .orElse(ChainWalk.Anchor.GENESIS);
    }

    /** The first broken row's verdict, or empty when every row read is intact. */
    private Optional<ChainVerification> walk(ChainWalk walk, String sql, Map<String, ?> params) {
        return jdbc.sql(sql).params(params).withFetchSize(FETCH_SIZE)
                .query((ResultSet rs) -> {
                    while (rs.next()) {
                        ChainVerification broken = walk.next(AuditRows.row(rs), rs.getString("prev_hash"),
                                rs.getString("hash"));
                        if (broken != null) {
                            return Optional.of(broken);
                        }
                    }
                    return Optional.<ChainVerification>empty();
                });
    }

    /** Locks the chain head until the transaction ends: appends, and retention, wait for it. */
    ChainWalk.Head lockHead() {
        return jdbc.sql("SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE")
                .query((rs, n) -> new ChainWalk.Head(rs.getLong(1), rs.getString(2)))
                .single();
    }

    private void append(AuditEvent event) {
        RequestMetadata request = RequestMetadata.current();
        ChainWalk.Head head = lockHead();
        AuditChain.Row row = new AuditChain.Row(head.lastSeq() + 1, UUID.randomUUID(),
                clock.instant().truncatedTo(ChronoUnit.MICROS), event.orgId(), lower(event.actorType()),
                event.actorId(), event.action(), event.targetType(), event.targetId(), lower(event.outcome()),
                request.ip(), request.userAgent(), request.requestId(), event.details());
        String hash = AuditChain.hash(head.lastHash(), row);
        jdbc.sql("""
                INSERT INTO audit_events (seq, id, occurred_at, org_id, actor_type, actor_id, action, target_type,
                    target_id, outcome, ip, user_agent, request_id, details, prev_hash, hash)
                VALUES (:seq, :id, :occurredAt, :orgId, :actorType, :actorId, :action, :targetType, :targetId,
                    :outcome, :ip, :userAgent, :requestId, CAST(:details AS jsonb), :prevHash, :hash)""")
                .param("seq", row.seq())
                .param("id", row.id())
                .param("occurredAt", java.sql.Timestamp.from(row.occurredAt()))
                .param("orgId", row.orgId())
                .param("actorType", row.actorType())
                .param("actorId", row.actorId())
                .param("action", row.action())
                .param("targetType", row.targetType())
                .param("targetId", row.targetId())
                .param("outcome", row.outcome())
                .param("ip", row.ip())
                .param("userAgent", row.userAgent())
                .param("requestId", row.requestId())
                .param("details", AuditRows.json(row.details()))
                .param("prevHash", head.lastHash())
                .param("hash", hash)
                .update();
        jdbc.sql("UPDATE audit_chain_head SET last_seq = :seq, last_hash = :hash WHERE id = 1")
                .param("seq", row.seq())
                .param("hash", hash)
                .update();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
