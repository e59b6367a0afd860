package dev.latchkey.web;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
}
