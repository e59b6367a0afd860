package dev.latchkey.ledger;

import static org.assertj.core.api.Assertions.assertThat;




import java.sql.SQLException;

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
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.InstanceProcess;
import dev.latchkey.support.LedgerRows;
import dev.latchkey.support.MeteredIntegrationTest;
import dev.latchkey.support.Reliability;


/**
 * An instance killed with SIGKILL while clients mint tokens through it: every token a client
 * received has its ledger row (a token is returned only after its row is committed), every ledger
 * row belongs to a request a client made (at most one each), the allowance counter agrees with the
 * ledger, and the audit chain verifies afterwards.
 */
class KilledInstanceIT extends MeteredIntegrationTest {

    @Test
    void givenAnInstanceKilledMidLoad_whenCountingAfterwards_thenEveryTokenReceivedIsBilledOnceAndTheAuditChainHolds()
            throws Exception {
        SignedUp owner = signUp();
        addLiveKitCredential(owner);
        String key = createApiKey(owner, "tokens:mint");
        Set<String> sent = ConcurrentHashMap.newKeySet();
        Set<String> received = ConcurrentHashMap.newKeySet();
        AtomicInteger counter = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();

        try (InstanceProcess instance = InstanceProcess.start(Map.of())) {
            ApiClient app = instance.client().bearer(key);
            ExecutorService load = Executors.newFixedThreadPool(8);
            for (int thread = 0; thread < 8; thread++) {
                load.submit(() -> {
                    while (!killed.get()) {
                        String requestId = "kill-" + UUID.randomUUID();
                        sent.add(requestId);
                        try {
                            ApiClient.Response minted = app.post("/v1/tokens", Map.of("provider", "livekit",
                                    "room", "killed", "identity", "p" + counter.incrementAndGet()),
                                    "X-Request-Id", requestId);
                            if (minted.status() == 200 && minted.json().hasNonNull("token")) {
                                received.add(requestId);
                            }
                        } catch (RuntimeException connectionLost) {
                            if (killed.get()) {
                                return;
                            }
                        }
                    }
                });
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> received.size() >= 40);
            Reliability.faultInjected();
            killed.set(true);
            instance.kill();
            load.shutdown();
            assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).as("every client saw the end").isTrue();
        }

        List<String> rows = LedgerRows.requestIds(owner.orgId());
        Set<String> billed = new HashSet<>(rows);
        Set<String> unbilled = new HashSet<>(received);
        unbilled.removeAll(billed);
        Reliability.lostLedgerRows(unbilled.size());
        assertThat(unbilled).as("tokens handed out without a ledger row").isEmpty();
        assertThat(rows).as("at most one row per request").doesNotHaveDuplicates();
        assertThat(sent).as("no ledger row without a request that minted it").containsAll(billed);
        assertThat(quotaUsed(owner)).as("the allowance counter agrees with the ledger").isEqualTo(rows.size());
        awaitAuditLinked();
        assertThat(platformAdmin().post("/v1/admin/audit-events/verify", null).json().get("intact").asBoolean())
                .as("the audit chain verifies after the kill").isTrue();
        Reliability.faultSurvived();
    }
}
