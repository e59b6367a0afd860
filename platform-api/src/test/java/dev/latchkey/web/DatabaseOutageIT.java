package dev.latchkey.web;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.MeteredIntegrationTest;
import dev.latchkey.support.Reliability;
import dev.latchkey.support.SecondInstance;
import dev.latchkey.support.TcpProxy;
import dev.latchkey.support.TestInfrastructure;

/**
 * An instance whose database goes away answers 503 problems at once (within the pool's
 * connection timeout, never a 30 s queue, never a 500), hands out nothing it could not bill, and
 * serves again as soon as the database is back, without a restart. The outage is real: the
 * instance reaches PostgreSQL through a TCP proxy of the test's own, which drops every connection.
 */
class DatabaseOutageIT extends MeteredIntegrationTest {

    private static final Map<String, Object> LIVEKIT = Map.of("provider", "livekit", "room", "outage",
            "identity", "participant");

    @Test
    void givenTheDatabaseGoesAway_whenMinting_thenEachRequestIsA503WithinTwoSecondsAndServiceResumesWhenItReturns() {
        SignedUp owner = signUp();
        addLiveKitCredential(owner);
        String key = createApiKey(owner, "tokens:mint");
        InetSocketAddress postgres = TestInfrastructure.get().postgresAddress();
        try (TcpProxy proxy = TcpProxy.to(postgres.getHostString(), postgres.getPort());
                SecondInstance instance = SecondInstance.start(Map.of("spring.datasource.url",
                        TestInfrastructure.get().jdbcUrlVia("127.0.0.1", proxy.port())))) {
            ApiClient app = instance.client().bearer(key);
            assertThat(app.post("/v1/tokens", LIVEKIT).status()).isEqualTo(200);

            proxy.cutOff();
            Reliability.faultInjected();
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                ApiClient.Response refused = app.post("/v1/tokens", LIVEKIT);
                millis.add((System.nanoTime() - start) / 1_000_000);
                assertThatProblem(refused).hasStatus(503).hasType("/problems/unavailable");
                assertThat(refused.header("Retry-After")).isNotNull();
                assertThat(refused.body()).doesNotContain("\"token\"").doesNotContain("Exception");
            }
            assertThat(millis).as("each 503 came within two seconds").allSatisfy(ms -> assertThat(ms).isLessThan(2_000));
            // The rest of the API answers 503 too, not 500.
            assertThatProblem(instance.client().bearer(key).get("/v1/orgs/" + owner.orgId())).hasStatus(503);

            proxy.restore();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> app.post("/v1/tokens", LIVEKIT).status() == 200);
        }
        Reliability.lostLedgerRows(Math.abs(2 - ledgerRows(owner.orgId())));
        assertThat(ledgerRows(owner.orgId())).as("a row for each of the two tokens handed out, none for the refusals")
                .isEqualTo(2);
        assertThat(quotaUsed(owner)).isEqualTo(2);
        Reliability.faultSurvived();
    }

    /**
     * Under load a request may need more than one database read (caches refreshing after their TTL, an
     * allowance lease, then the commit), each waiting out the pool's 1.5 s connection timeout: up to
     * about twice that was seen (3.0 s). A single request keeps the 2 s bound (the test above).
     */
    private static final long SLOWEST_503_UNDER_LOAD_MILLIS = 3_500;

    @Test
    void givenEightClientsMinting_whenTheDatabaseIsCutAndRestoredUnderLoad_thenOnly200sAnd503sAndEveryTokenIsBilledOnce()
            throws InterruptedException {
        SignedUp owner = signUp();
        addLiveKitCredential(owner);
        String key = createApiKey(owner, "tokens:mint");
        setQuota(platformAdmin(), owner.orgId(), allowance(1_000_000)); // the load, not the rate limit, is the point
        InetSocketAddress postgres = TestInfrastructure.get().postgresAddress();
        Set<String> sent = ConcurrentHashMap.newKeySet();
        Set<String> received = ConcurrentHashMap.newKeySet();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean restored = new AtomicBoolean();
        Set<String> receivedAfterRestore = ConcurrentHashMap.newKeySet();
        try (TcpProxy proxy = TcpProxy.to(postgres.getHostString(), postgres.getPort());
                SecondInstance instance = SecondInstance.start(Map.of("spring.datasource.url",
                        TestInfrastructure.get().jdbcUrlVia("127.0.0.1", proxy.port())))) {
            ApiClient app = instance.client().bearer(key);
            ExecutorService load = Executors.newFixedThreadPool(8);
            for (int thread = 0; thread < 8; thread++) {
                load.submit(() -> {
                    while (!stop.get()) {
                        String requestId = "outage-" + UUID.randomUUID();
                        sent.add(requestId);
                        long start = System.nanoTime();
                        ApiClient.Response response = app.post("/v1/tokens", LIVEKIT, "X-Request-Id", requestId);
                        long millis = (System.nanoTime() - start) / 1_000_000;
                        if (response.status() == 200) {
                            received.add(requestId);
                            if (restored.get()) {
                                receivedAfterRestore.add(requestId);
                            }
                        } else if (response.status() != 503 || millis >= SLOWEST_503_UNDER_LOAD_MILLIS
                                || !response.body().contains("/problems/unavailable")) {
                            wrong.add(millis + " ms: " + response);
                        }
                    }
                });
            }
            Thread.sleep(1_500);
            proxy.cutOff();
            Reliability.faultInjected();
            Thread.sleep(3_000);
            proxy.restore();
            restored.set(true);
            await().atMost(Duration.ofSeconds(15)).until(() -> receivedAfterRestore.size() >= 10);
            stop.set(true);
            load.shutdown();
            assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(wrong).as("answers other than a 200 or a 503 problem within %d ms", SLOWEST_503_UNDER_LOAD_MILLIS)
                .isEmpty();
        List<String> rows = new ArrayList<>();
        try (java.sql.Connection connection = TestInfrastructure.get().connect();
                java.sql.PreparedStatement query = connection.prepareStatement(
                        "SELECT request_id FROM usage_ledger WHERE org_id = ?")) {
            query.setObject(1, owner.orgId());
            try (java.sql.ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        Set<String> unbilled = new java.util.HashSet<>(received);
        unbilled.removeAll(rows);
        Reliability.lostLedgerRows(unbilled.size());
        assertThat(unbilled).as("tokens handed out without a ledger row").isEmpty();
        assertThat(rows).as("one row per request at most").doesNotHaveDuplicates();
        assertThat(sent).as("no row without a request that asked for it").containsAll(rows);
        assertThat(quotaUsed(owner)).as("the allowance counter and the ledger agree: nothing half-written")
                .isEqualTo(rows.size());
        Reliability.faultSurvived();
    }
}
