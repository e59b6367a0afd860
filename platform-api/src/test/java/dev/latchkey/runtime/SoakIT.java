package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.LedgerRows;
import dev.latchkey.support.MeteredIntegrationTest;
import dev.latchkey.support.OwnRedisServer;
import dev.latchkey.support.Reliability;
import dev.latchkey.support.SecondInstance;
import dev.latchkey.support.TcpProxy;
import dev.latchkey.support.TestInfrastructure;

/**
 * The soak: {@code -Dsoak} (never in CI by default), {@code -Dsoak.minutes=} long (10 unless told).
 * Two instances on a Redis of the test's own and on PostgreSQL through a proxy of the test's own,
 * under mixed load (mints, usage and ledger reads, quota reads) from both instances, while Redis is
 * stopped and started and PostgreSQL cut off and restored in turn. Afterwards: only 2xx, 429 and 503
 * answers were seen, every token received is billed once, both instances are ready again, and the
 * heap (after GC) and open file descriptors of the JVM that holds both instances are flat.
 */
@EnabledIfSystemProperty(named = "soak", matches = "true|")
class SoakIT extends MeteredIntegrationTest {

    private static final long MINUTES = Long.getLong("soak.minutes", 10);
    private static final Duration FAULT_EVERY = Duration.ofSeconds(60);

    @Test
    void givenTwoInstancesUnderMixedLoad_whenRedisAndPostgresRestartInTurn_thenNothingIsLostAndMemoryAndFilesStayFlat()
            throws Exception {
        SignedUp owner = signUp();
        addLiveKitCredential(owner);
        setQuota(platformAdmin(), owner.orgId(), allowance(100_000_000));
        String key = createApiKey(owner, "tokens:mint", "usage:read");
        InetSocketAddress postgres = TestInfrastructure.get().postgresAddress();
        Set<String> received = ConcurrentHashMap.newKeySet();
        Set<String> sent = ConcurrentHashMap.newKeySet();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong requests = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Footprint baseline;
        Footprint end;

        try (OwnRedisServer redis = OwnRedisServer.start();
                TcpProxy database = TcpProxy.to(postgres.getHostString(), postgres.getPort())) {
            Map<String, String> shared = Map.of("spring.data.redis.url", redis.url(),
                    "spring.datasource.url", TestInfrastructure.get().jdbcUrlVia("127.0.0.1", database.port()));
            try (SecondInstance first = SecondInstance.start(shared);
                    SecondInstance second = SecondInstance.start(shared)) {
                List<ApiClient> apps = List.of(first.client().bearer(key), second.client().bearer(key));
                String org = "/v1/orgs/" + owner.orgId();
                ExecutorService load = Executors.newFixedThreadPool(6);
                for (int thread = 0; thread < 6; thread++) {
                    int worker = thread;
                    load.submit(() -> {
                        while (!stop.get()) {
                            long n = requests.incrementAndGet();
                            ApiClient app = apps.get((int) (n % 2));
                            try {
                                if (worker < 4) {
                                    String requestId = "soak-" + UUID.randomUUID();
                                    sent.add(requestId);
                                    ApiClient.Response minted = app.post("/v1/tokens", Map.of("provider", "livekit",
                                            "room", "soak", "identity", "p" + n), "X-Request-Id", requestId);
                                    if (minted.status() == 200) {
                                        received.add(requestId);
                                    }
                                    judge(minted, wrong);
                                } else {
                                    String read = List.of("/usage?group_by=day", "/ledger?limit=20", "/quota")
                                            .get((int) (n % 3));
                                    judge(app.get(org + read), wrong);
                                }
                            } catch (RuntimeException timeout) {
                                wrong.add("no answer: " + timeout);
                            }
                        }
                    });
                }
                Thread.sleep(30_000); // warm-up: pools, caches and JIT settle before the baseline
                baseline = Footprint.now();
                long until = System.nanoTime() + Duration.ofMinutes(MINUTES).toNanos();
                boolean redisTurn = true;
                while (System.nanoTime() < until) {
                    Thread.sleep(FAULT_EVERY.toMillis());
                    Reliability.faultInjected();
                    if (redisTurn) {
                        redis.stop();
                        Thread.sleep(10_000);
                        redis.startAgain();
                    } else {
                        database.cutOff();
                        Thread.sleep(5_000);
                        database.restore();
                    }
                    redisTurn = !redisTurn;
                    Reliability.faultSurvived();
                }
                stop.set(true);
                load.shutdown();
                assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
                for (ApiClient instance : List.of(first.client(), second.client())) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(
                            instance.get("/actuator/health/readiness").json().path("status").asString("")));
                }
                end = Footprint.now();
            }
        }

        assertThat(wrong).as("answers other than 2xx, 429 and 503 (of %d requests)", requests.get()).isEmpty();
        List<String> rows = LedgerRows.requestIds(owner.orgId());
        Set<String> unbilled = new HashSet<>(received);
        unbilled.removeAll(new HashSet<>(rows)); // a set: removeAll over a list is quadratic
        Reliability.lostLedgerRows(unbilled.size());
        assertThat(unbilled).as("tokens handed out without a ledger row").isEmpty();
        // Hash sets, not AssertJ's containsAll/doesNotHaveDuplicates: those compare element by element
        // (quadratic), which on the hundreds of thousands of rows of a 10-minute soak never ends.
        Set<String> distinctRows = new HashSet<>(rows);
        assertThat(distinctRows).as("ledger rows billed twice").hasSameSizeAs(rows);
        distinctRows.removeAll(sent);
        assertThat(distinctRows).as("ledger rows of requests never sent").isEmpty();
        System.out.println("SOAK: " + requests.get() + " requests, " + received.size() + " tokens, baseline " + baseline
                + ", end " + end);
        assertThat(end.heapBytes()).as("heap after GC: %s then %s", baseline, end)
                .isLessThan(baseline.heapBytes() + baseline.heapBytes() / 4 + 64L * 1024 * 1024);
        assertThat(end.openFiles()).as("open file descriptors: %s then %s", baseline, end)
                .isLessThan(baseline.openFiles() + 50);
    }

    private static void judge(ApiClient.Response response, List<String> wrong) {
        int status = response.status();
        if (!(status >= 200 && status < 300) && status != 429 && status != 503) {
            wrong.add(response.toString());
        }
    }

    /** The JVM's heap after a full collection and its open file descriptors. */
    private record Footprint(long heapBytes, long openFiles) {

        static Footprint now() throws IOException, InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            try (var files = Files.list(Path.of("/proc/self/fd"))) {
                return new Footprint(heap, files.count());
            }
        }

        @Override
        public String toString() {
            return heapBytes / (1024 * 1024) + " MB heap, " + openFiles + " fds";
        }
    }
}
