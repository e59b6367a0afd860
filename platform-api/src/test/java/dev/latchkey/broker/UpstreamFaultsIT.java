package dev.latchkey.broker;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.FaultServer;
import dev.latchkey.support.FaultServer.Mode;
import dev.latchkey.support.Reliability;
import dev.latchkey.support.SecondInstance;

/**
 * A provider that hangs, resets connections, answers garbage or answers too slowly, on an instance
 * with a tight timeout and circuit breaker: each call is a 502 or 504 problem naming the provider
 * within a bounded time, nothing is billed for any of them, the breaker opens (and then calls no
 * longer reach the provider) and closes again once the provider behaves.
 */
class UpstreamFaultsIT extends BrokerTest {

    private static final Map<String, Object> MINT = Map.of("provider", "openai");

    @Test
    void givenAProviderThatHangsResetsOrAnswersGarbage_whenMinting_then502Or504NothingBilledAndTheBreakerOpensAndCloses() {
        Tenant tenant = tenantWith(openAiCredential("sk-test-fault-server-000000000000000001"));
        try (FaultServer provider = FaultServer.start();
                SecondInstance instance = SecondInstance.start(Map.of(
                        "latchkey.providers.openai.base-url", provider.baseUrl(),
                        "latchkey.upstream.read-timeout", "1s",
                        "latchkey.upstream.circuit-breaker.minimum-calls", "4",
                        "latchkey.upstream.circuit-breaker.failure-rate", "50",
                        "latchkey.upstream.circuit-breaker.open-for", "2s"))) {
            ApiClient app = instance.client().bearer(tenant.appKey());

            for (Mode fault : new Mode[] {Mode.HANG, Mode.RESET, Mode.GARBAGE, Mode.SLOW}) {
                provider.mode(fault);
                Reliability.faultInjected();
                long started = System.nanoTime();
                ApiClient.Response refused = app.post("/v1/tokens", MINT);
                long millis = (System.nanoTime() - started) / 1_000_000;

                assertThatProblem(refused).hasType(fault == Mode.HANG || fault == Mode.SLOW
                        ? "/problems/upstream-timeout" : "/problems/upstream-error");
                assertThat(refused.status()).as("%s: %s", fault, refused).isIn(502, 504);
                assertThat(refused.json().get("detail").asString()).as("%s", fault).containsIgnoringCase("openai");
                assertThat(millis).as("%s answered within the timeout and a retry", fault).isLessThan(5_000);
                Reliability.faultSurvived();
            }

            int reached = provider.connections();
            ApiClient.Response paused = app.post("/v1/tokens", MINT);
            assertThatProblem(paused).hasStatus(502).hasType("/problems/upstream-error");
            assertThat(paused.json().get("detail").asString()).contains("circuit open");
            assertThat(provider.connections()).as("an open circuit does not call the provider").isEqualTo(reached);

            provider.mode(Mode.OK);
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                    .until(() -> app.post("/v1/tokens", MINT).status() == 200);
            assertThat(app.post("/v1/tokens", MINT).status()).as("closed again").isEqualTo(200);
        }
        long billed = ledgerRows(tenant);
        long minted = quotaUsed(tenant.owner());
        Reliability.lostLedgerRows(Math.abs(billed - minted));
        assertThat(billed).as("only the tokens handed out once the provider behaved are billed").isEqualTo(minted)
                .isBetween(2L, 3L);
    }
}
