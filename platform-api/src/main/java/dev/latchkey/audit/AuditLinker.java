package dev.latchkey.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.latchkey.changes.DedicatedConnections;

/**
 * Appends pending audit events to the hash chain. One instance leads at a time, elected by a
 * PostgreSQL session-level advisory lock on a connection of its own (the lock goes with the
 * connection, so a dead leader's role passes on by itself). The leader keeps the chain head in
 * memory and, every {@code latchkey.audit.link-interval} (or at once when an event of this
 * instance commits), moves a batch of pending rows into {@code audit_events} in one statement
 * that also advances the head, guarded by the head it expects. It also turns each closed minute
 * of {@code credential_usage} into {@code credential.used} events, signs the head every
 * {@code latchkey.audit.checkpoint-interval}, and runs retention.
 */
@Component
class AuditLinker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AuditLinker.class);
    /** The advisory lock key of the linker's leadership. */
    private static final long LEADER_LOCK = 0x4c4b_4155_4449_5401L;
    private static final String PENDING_COLUMNS = """
            id, event_id, occurred_at, org_id, actor_type, actor_id, action, target_type, target_id, outcome, ip,
            user_agent, request_id, details::text AS details""";
    private static final String LINK = """
            WITH moved AS (DELETE FROM audit_pending WHERE id = ANY (?) RETURNING id),
                 linked AS (
                     INSERT INTO audit_events (seq, id, occurred_at, org_id, actor_type, actor_id, action, target_type,
                         target_id, outcome, ip, user_agent, request_id, details, prev_hash, hash)
                     SELECT u.seq, u.id, u.occurred_at, u.org_id, u.actor_type, u.actor_id, u.action, u.target_type,
                         u.target_id, u.outcome, u.ip, u.user_agent, u.request_id, CAST(u.details AS jsonb), u.prev_hash,
                         u.hash
                     FROM unnest(?::bigint[], ?::uuid[], ?::timestamptz[], ?::uuid[], ?::text[], ?::text[], ?::text[],
                         ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                         AS u (seq, id, occurred_at, org_id, actor_type, actor_id, action, target_type, target_id,
                               outcome, ip, user_agent, request_id, details, prev_hash, hash)
                     RETURNING seq)
            UPDATE audit_chain_head SET last_seq = ?, last_hash = ?
            WHERE id = 1 AND last_seq = ? AND last_hash = ?
              AND (SELECT count(*) FROM moved) = ? AND (SELECT count(*) FROM linked) = ?""";
    /**
     * Each closed minute of credential uses becomes one credential.used event with the count. A use
     * of the platform's managed credential becomes two: the organization's, which names only the
     * provider ({@code managed_credential}), and the platform's own (no organization), which names
     * the platform credential and the organization that used it.
     */
    private static final String FLUSH_CREDENTIAL_USES = """
            WITH closed AS (DELETE FROM credential_usage WHERE minute < ? RETURNING *),
                 used AS (
                     SELECT max(last_at) AS last_at, minute, org_id, credential_id, managed, actor_type, actor_id,
                            min(provider) AS provider, sum(uses) AS uses, min(first_at) AS first_at
                     FROM closed GROUP BY minute, org_id, credential_id, managed, actor_type, actor_id),
                 events AS (
                     SELECT last_at, org_id, actor_type, actor_id,
                            CASE WHEN managed THEN 'managed_credential' ELSE 'credential' END AS target_type,
                            CASE WHEN managed THEN provider ELSE credential_id::text END AS target_id,
                            jsonb_build_object('provider', provider, 'uses', uses::text,
                                'minute', to_char(minute AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"'),
                                'first_at', to_char(first_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
                            || CASE WHEN managed THEN jsonb_build_object('credential_source', 'managed')
                                    ELSE '{}'::jsonb END AS details
                     FROM used
                     UNION ALL
                     SELECT last_at, NULL, actor_type, actor_id, 'platform_credential', credential_id::text,
                            jsonb_build_object('provider', provider, 'uses', uses::text, 'org_id', org_id::text,
                                'minute', to_char(minute AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"'),
                                'first_at', to_char(first_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
                     FROM used WHERE managed)
            INSERT INTO audit_pending (event_id, occurred_at, org_id, actor_type, actor_id, action, target_type,
                target_id, outcome, details)
            SELECT gen_random_uuid(), last_at, org_id, actor_type, actor_id, 'credential.used', target_type, target_id,
                'success', details
            FROM events ORDER BY last_at""";

    /** Pending events linked per transaction. */
    private static final int BATCH_SIZE = 2000;

    private final DedicatedConnections connections;
    private final AuditSigningKey tags;
    private final AuditRetention retention;
    private final Clock clock;
    private final Duration linkInterval;
    private final Duration checkpointInterval;
    private final Duration leaderRetry;
    private final int batchSize;
    private final LinkerSignal signal;
    private final AtomicInteger leader = new AtomicInteger();
    private final AtomicLong lagMillis = new AtomicLong();
    private final Counter linked;
    private volatile boolean running;
    private volatile CountDownLatch stopping = new CountDownLatch(1);
    private volatile Thread thread;

    AuditLinker(DedicatedConnections connections, AuditSigningKey tags, AuditRetention retention, LinkerSignal signal,
            Clock clock,
            MeterRegistry meters, AuditProperties settings) {
        this.connections = connections;
        this.tags = tags;
        this.retention = retention;
        this.signal = signal;
        this.clock = clock;
        this.linkInterval = settings.linkInterval();
        this.checkpointInterval = settings.checkpointInterval();
        this.leaderRetry = settings.leaderRetry();
        this.batchSize = BATCH_SIZE;
        Gauge.builder("latchkey.audit.linker.leader", leader, AtomicInteger::get)
                .description("1 on the instance that links the audit chain, else 0").register(meters);
        Gauge.builder("latchkey.audit.linker.lag", lagMillis, lag -> lag.get() / 1000.0)
                .description("Seconds the oldest event of the last linked batch waited to be linked")
                .baseUnit("seconds").register(meters);
        this.linked = Counter.builder("latchkey.audit.linked").description("Audit events linked into the chain")
                .register(meters);
    }

    boolean leads() {
        return leader.get() == 1;
    }

    @Override
    public void start() {
        stopping = new CountDownLatch(1);
        running = true;
        Thread linker = new Thread(this::run, "audit-linker");
        linker.setDaemon(true);
        thread = linker;
        linker.start();
    }

    /** Lets the leader link what is pending one last time, then stops. */
    @Override
    public void stop() {
        running = false;
        stopping.countDown();
        signal.wake();
        Thread linker = thread;
        if (linker != null) {
            try {
                linker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server and the committer, so that their last events get linked. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 8192;
    }

    /**
     * A standby keeps one connection and asks for the lock on it every {@code leader-retry}; it is
     * not woken by this instance's own events, which would open a connection per commit on every
     * standby under load and let a leader that just lost its connection race back ahead of them.
     */
    private void run() {
        while (running) {
            try (Connection connection = connections.open("latchkey audit linker")) {
                while (running && !becameLeader(connection)) {
                    pauseUnlessStopping(leaderRetry);
                }
                if (!running) {
                    return;
                }
                leader.set(1);
                log.info("This instance links the audit chain now");
                lead(connection);
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn("The audit linker stopped ({}); it retries in {}", e.getMessage(), leaderRetry);
                    pauseUnlessStopping(leaderRetry);
                }
            } finally {
                leader.set(0);
            }
        }
    }

    private static boolean becameLeader(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT pg_try_advisory_lock(" + LEADER_LOCK + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private void lead(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        ChainWalk.Head head = readHead(connection);
        connection.commit();
        Instant nextCheckpoint = clock.instant();
        long checkpointed = -1;
        while (running) {
            flushCredentialUses(connection);
            Linked batch;
            do {
                batch = linkBatch(connection, head);
                head = batch.head() != null ? batch.head() : readHead(connection);
                connection.commit();
            } while (running && batch.count() != 0);
            if (!clock.instant().isBefore(nextCheckpoint) && head.lastSeq() > checkpointed && head.lastSeq() > 0) {
                checkpoint(connection, head);
                checkpointed = head.lastSeq();
                nextCheckpoint = clock.instant().plus(checkpointInterval);
            }
            retention.pruneIfDue();
            try {
                signal.await(linkInterval);
            } catch (InterruptedException e) {
                return;
            }
        }
        // Shutting down: what this instance's last requests recorded is linked before it goes.
        Linked last;
        do {
            last = linkBatch(connection, head);
            head = last.head() != null ? last.head() : readHead(connection);
            connection.commit();
        } while (last.count() > 0);
    }

    /** What one batch linked and the head after it; no head when the stored head was not the one expected. */
    private record Linked(int count, ChainWalk.Head head) {
    }

    private Linked linkBatch(Connection connection, ChainWalk.Head head) throws SQLException {
        List<Long> pendingIds = new ArrayList<>();
        List<AuditChain.Row> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + PENDING_COLUMNS + " FROM audit_pending ORDER BY id LIMIT " + batchSize)) {
            try (ResultSet rs = select.executeQuery()) {
                long seq = head.lastSeq();
                while (rs.next()) {
                    pendingIds.add(rs.getLong("id"));
                    String orgId = rs.getString("org_id");
                    rows.add(new AuditChain.Row(++seq, rs.getObject("event_id", UUID.class),
                            rs.getTimestamp("occurred_at").toInstant(), orgId == null ? null : UUID.fromString(orgId),
                            rs.getString("actor_type"), rs.getString("actor_id"), rs.getString("action"),
                            rs.getString("target_type"), rs.getString("target_id"), rs.getString("outcome"),
                            rs.getString("ip"), rs.getString("user_agent"), rs.getString("request_id"),
                            AuditRows.details(rs.getString("details"))));
                }
            }
        }
        if (rows.isEmpty()) {
            connection.commit();
            return new Linked(0, head);
        }
        int n = rows.size();
        Object[] seqs = new Object[n];
        Object[] ids = new Object[n];
        Object[] occurred = new Object[n];
        Object[] orgs = new Object[n];
        String[][] text = new String[12][n];
        String previous = head.lastHash();
        for (int i = 0; i < n; i++) {
            AuditChain.Row row = rows.get(i);
            String hash = AuditChain.hash(previous, row);
            seqs[i] = row.seq();
            ids[i] = row.id();
            occurred[i] = Timestamp.from(row.occurredAt());
            orgs[i] = row.orgId();
            String[] values = {row.actorType(), row.actorId(), row.action(), row.targetType(), row.targetId(),
                    row.outcome(), row.ip(), row.userAgent(), row.requestId(), AuditRows.json(row.details()), previous,
                    hash};
            for (int column = 0; column < values.length; column++) {
                text[column][i] = values[column];
            }
            previous = hash;
        }
        long lastSeq = rows.get(n - 1).seq();
        try (PreparedStatement link = connection.prepareStatement(LINK)) {
            int p = 1;
            link.setArray(p++, connection.createArrayOf("bigint", pendingIds.toArray()));
            link.setArray(p++, connection.createArrayOf("bigint", seqs));
            link.setArray(p++, connection.createArrayOf("uuid", ids));
            link.setArray(p++, connection.createArrayOf("timestamptz", occurred));
            link.setArray(p++, connection.createArrayOf("uuid", orgs));
            for (String[] column : text) {
                link.setArray(p++, connection.createArrayOf("text", column));
            }
            link.setLong(p++, lastSeq);
            link.setString(p++, previous);
            link.setLong(p++, head.lastSeq());
            link.setString(p++, head.lastHash());
            link.setLong(p++, n);
            link.setLong(p, n);
            if (link.executeUpdate() != 1) {
                connection.rollback();
                log.error("AUDIT CHAIN HEAD MOVED outside the linker (expected seq {}): another writer changed the"
                        + " chain; linking resumes from the stored head, and verification will tell whether history"
                        + " was rewritten", head.lastSeq());
                return new Linked(-1, null);
            }
        }
        connection.commit();
        linked.increment(n);
        lagMillis.set(Math.max(0, Duration.between(rows.get(0).occurredAt(), clock.instant()).toMillis()));
        return new Linked(n, new ChainWalk.Head(lastSeq, previous));
    }

    private void flushCredentialUses(Connection connection) throws SQLException {
        // A minute is closed a few seconds after it ends, when no commit can still count into it.
        Instant cutoff = clock.instant().minusSeconds(65);
        try (PreparedStatement flush = connection.prepareStatement(FLUSH_CREDENTIAL_USES)) {
            flush.setTimestamp(1, Timestamp.from(cutoff));
            flush.executeUpdate();
        }
        connection.commit();
    }

    private void checkpoint(Connection connection, ChainWalk.Head head) throws SQLException {
        String signature = tags.tag(ChainVerifier.checkpointMessage(head.lastSeq(), head.lastHash()));
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO audit_checkpoints (seq, hash, signed_at, key_id, signature) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (seq) DO NOTHING""")) {
            insert.setLong(1, head.lastSeq());
            insert.setString(2, head.lastHash());
            insert.setTimestamp(3, Timestamp.from(clock.instant()));
            insert.setString(4, signature.substring(0, signature.lastIndexOf(':')));
            insert.setString(5, signature);
            insert.executeUpdate();
        }
        connection.commit();
    }

    private static ChainWalk.Head readHead(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1")) {
            rs.next();
            return new ChainWalk.Head(rs.getLong(1), rs.getString(2));
        }
    }

    /** Waits, but wakes at once on shutdown. */
    private void pauseUnlessStopping(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
