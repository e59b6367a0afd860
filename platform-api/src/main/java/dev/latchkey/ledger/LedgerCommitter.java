package dev.latchkey.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.latchkey.changes.InstanceIdentity;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.web.DependencyOutage;

/**
 * The group commit of billable requests. Requests hand their entry to the committer and wait; a
 * commit lane takes whatever queued while it was committing its previous batch and commits it
 * with one call of {@code latchkey_commit} (migration V10) in autocommit: allowance grants,
 * lease settlements, the commit-time check of key revocation and organization suspension, ledger
 * rows, idempotency records and credential-use counts, for the whole batch at once. Each request
 * then gets its own outcome. A batch that fails, or whose outcome is unknown, commits nothing a
 * request can rely on: every waiting request gets a 503 and hands out nothing. Several lanes
 * ({@code latchkey.ledger.commit.lanes}) commit side by side, so one batch is being gathered
 * while another waits for its WAL flush; each request goes to one lane, whose own allowance
 * lease it takes from, and lanes touch no common row (leases and usage rows are per lane), so
 * they never wait for each other.
 */
@Component
class LedgerCommitter implements SmartLifecycle {

    static final ProblemType UNAVAILABLE = ProblemType.UNAVAILABLE;
    private static final Logger log = LoggerFactory.getLogger(LedgerCommitter.class);
    private static final String COMMIT = """
            SELECT idx, outcome, used_after, monthly_allowance FROM latchkey_commit(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                ?, ?, ?, ?, ?, ?, ?, ?)""";

    /** What a batch row does: 'lease' (billed, settled against its lease), 'audit' (nothing billed, a use counted). */
    enum Kind { LEASE, AUDIT }

    /** One request's part of a batch, for commit lane {@code lane}. */
    record Entry(int lane, Kind kind, UUID ledgerId, BillableRequest request, UUID credentialId, CredentialSource source,
            PriceBook.Price price, UUID leaseId, byte[] idempotencyResult, java.time.Instant occurredAt) {
    }

    /**
     * What the commit decided for one entry: {@code committed}, {@code audited}, or a refusal
     * ({@code suspended}, {@code revoked}, {@code idempotency_lost}, {@code quota_exceeded},
     * {@code lease_expired}); with the period's billed usage and allowance for usage alerts.
     */
    record Outcome(String status, Long usedAfter, Long allowance) {
        boolean committed() {
            return "committed".equals(status);
        }
    }

    private record Pending(Entry entry, CompletableFuture<Outcome> outcome) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final String instanceId;
    private final Duration wait;
    private final int maxBatch;
    private final int lanes;
    private final List<LinkedBlockingQueue<Pending>> queues = new ArrayList<>();
    private final DistributionSummary batchSizes;
    private final Timer commitTimes;
    private volatile boolean running;
    private volatile boolean accepting;
    private final List<Thread> threads = new ArrayList<>();

    LedgerCommitter(DataSource dataSource, Clock clock, InstanceIdentity instance, MeterRegistry meters,
            LedgerProperties settings) {
        int lanes = settings.commit().lanes();
        this.dataSource = dataSource;
        this.clock = clock;
        this.instanceId = instance.id();
        this.wait = settings.commit().maxWait();
        this.maxBatch = settings.commit().maxBatch();
        this.lanes = lanes;
        for (int lane = 0; lane < lanes; lane++) {
            queues.add(new LinkedBlockingQueue<>());
        }
        this.batchSizes = DistributionSummary.builder("latchkey.commit.batch.size")
                .description("Billable requests committed together in one database call").register(meters);
        this.commitTimes = Timer.builder("latchkey.commit.latency")
                .description("Time of one group commit's database call").publishPercentileHistogram()
                .register(meters);
    }

    /**
     * Commits the entry with whatever else is waiting, and returns its outcome once the batch has
     * committed.
     *
     * @throws LatchkeyException 503 when the batch failed or did not finish within
     *         {@code latchkey.ledger.commit.wait}: nothing may be handed out then
     */
    /** The lane a new request is committed by: any, spread evenly. Its allowance is taken from that lane's lease. */
    int laneFor() {
        return java.util.concurrent.ThreadLocalRandom.current().nextInt(lanes);
    }

    Outcome commit(Entry entry) {
        if (!accepting) {
            throw new LatchkeyException(UNAVAILABLE, "This instance is shutting down; retry the request",
                    List.of(), java.util.Map.of("Retry-After", "1"));
        }
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        queues.get(entry.lane()).add(new Pending(entry, outcome));
        try {
            return outcome.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("A billable request's commit did not finish within {}; the request hands out nothing", wait);
            throw unavailable();
        } catch (ExecutionException e) {
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
    }

    private static LatchkeyException unavailable() {
        return new LatchkeyException(UNAVAILABLE, "The request could not be billed right now, so nothing was"
                + " issued; retry shortly", List.of(), java.util.Map.of("Retry-After", "1"));
    }

    private void run(String writer, LinkedBlockingQueue<Pending> queue) {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                commitBatch(writer, batch, queue);
            } catch (InterruptedException e) {
                if (!running) {
                    Thread.currentThread().interrupt();
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void commitBatch(String writer, List<Pending> batch, LinkedBlockingQueue<Pending> queue) {
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            List<Outcome> outcomes = execute(connection, writer, batch);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).outcome().complete(outcomes.get(i));
            }
        } catch (SQLException | RuntimeException failure) {
            log.warn("A group commit of {} billable requests failed: {}", batch.size(), failure.getMessage());
            batch.forEach(pending -> pending.outcome().completeExceptionally(failure));
            if (DependencyOutage.of(failure).isPresent()) {
                // The database is away: what queued behind this batch would wait out another connection
                // timeout only to fail the same way. It fails now, so every refusal comes within one timeout.
                List<Pending> queued = new ArrayList<>();
                queue.drainTo(queued);
                queued.forEach(pending -> pending.outcome().completeExceptionally(failure));
            }
        } finally {
            commitTimes.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            batchSizes.record(batch.size());
        }
    }

    private List<Outcome> execute(Connection connection, String writer, List<Pending> batch) throws SQLException {
        int n = batch.size();
        String[] kinds = new String[n];
        Object[] ledgerIds = new Object[n];
        Object[] orgs = new Object[n];
        Object[] apiKeys = new Object[n];
        Object[] credentials = new Object[n];
        String[] sources = new String[n];
        String[] providers = new String[n];
        String[] operations = new String[n];
        Object[] quantities = new Object[n];
        Object[] prices = new Object[n];
        String[] currencies = new String[n];
        Object[] priceIds = new Object[n];
        String[] endUsers = new String[n];
        String[] requestIds = new String[n];
        String[] idempotencyKeys = new String[n];
        String[] fingerprints = new String[n];
        byte[][] results = new byte[n][];
        Object[] leases = new Object[n];
        Object[] occurred = new Object[n];
        for (int i = 0; i < n; i++) {
            Entry entry = batch.get(i).entry();
            BillableRequest request = entry.request();
            kinds[i] = entry.kind().name().toLowerCase(java.util.Locale.ROOT);
            ledgerIds[i] = entry.ledgerId();
            orgs[i] = request.orgId();
            apiKeys[i] = request.apiKeyId();
            credentials[i] = entry.credentialId();
            sources[i] = entry.source().value();
            providers[i] = request.provider().id();
            operations[i] = request.operation();
            quantities[i] = request.quantity();
            prices[i] = entry.price() == null ? 0L : entry.price().unitPriceMicros();
            currencies[i] = entry.price() == null ? "USD" : entry.price().currency();
            priceIds[i] = entry.price() == null ? null : entry.price().id();
            endUsers[i] = request.endUser();
            requestIds[i] = request.requestId();
            idempotencyKeys[i] = request.idempotencyKey();
            fingerprints[i] = request.requestFingerprint();
            results[i] = entry.idempotencyResult();
            leases[i] = entry.leaseId();
            occurred[i] = Timestamp.from(entry.occurredAt());
        }
        try (PreparedStatement statement = connection.prepareStatement(COMMIT)) {
            int p = 1;
            statement.setTimestamp(p++, Timestamp.from(clock.instant()));
            statement.setString(p++, writer);
            statement.setArray(p++, connection.createArrayOf("text", kinds));
            statement.setArray(p++, connection.createArrayOf("uuid", ledgerIds));
            statement.setArray(p++, connection.createArrayOf("uuid", orgs));
            statement.setArray(p++, connection.createArrayOf("uuid", apiKeys));
            statement.setArray(p++, connection.createArrayOf("uuid", credentials));
            statement.setArray(p++, connection.createArrayOf("text", sources));
            statement.setArray(p++, connection.createArrayOf("text", providers));
            statement.setArray(p++, connection.createArrayOf("text", operations));
            statement.setArray(p++, connection.createArrayOf("bigint", quantities));
            statement.setArray(p++, connection.createArrayOf("bigint", prices));
            statement.setArray(p++, connection.createArrayOf("text", currencies));
            statement.setArray(p++, connection.createArrayOf("uuid", priceIds));
            statement.setArray(p++, connection.createArrayOf("text", endUsers));
            statement.setArray(p++, connection.createArrayOf("text", requestIds));
            statement.setArray(p++, connection.createArrayOf("text", idempotencyKeys));
            statement.setArray(p++, connection.createArrayOf("text", fingerprints));
            statement.setArray(p++, connection.createArrayOf("bytea", results));
            statement.setArray(p++, connection.createArrayOf("uuid", leases));
            statement.setArray(p, connection.createArrayOf("timestamptz", occurred));
            Outcome[] outcomes = new Outcome[n];
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    outcomes[rs.getInt(1) - 1] = new Outcome(rs.getString(2), (Long) rs.getObject(3),
                            (Long) rs.getObject(4));
                }
            }
            return List.of(outcomes);
        }
    }

    @Override
    public void start() {
        running = true;
        accepting = true;
        for (int lane = 0; lane < lanes; lane++) {
            String writer = instanceId + ":" + lane;
            LinkedBlockingQueue<Pending> queue = queues.get(lane);
            Thread committer = new Thread(() -> run(writer, queue), "ledger-committer-" + lane);
            committer.setDaemon(true);
            threads.add(committer);
            committer.start();
        }
    }

    /** Stops taking entries and commits what is queued, after the web server has finished its requests. */
    @Override
    public void stop() {
        accepting = false;
        running = false;
        for (Thread committer : threads) {
            try {
                committer.join(wait.toMillis() + 1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
