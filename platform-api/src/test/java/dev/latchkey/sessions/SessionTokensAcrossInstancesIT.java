package dev.latchkey.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.SecondInstance;
import dev.latchkey.support.SecondInstanceExtension;

@ExtendWith(SecondInstanceExtension.class)
class SessionTokensAcrossInstancesIT extends SessionsTest {

    private final SecondInstance secondInstance;

    SessionTokensAcrossInstancesIT(SecondInstance secondInstance) {
        this.secondInstance = secondInstance;
    }

    @Test
    void givenOneToken_when50BrowsersUseItAtOnceOnTwoInstances_thenExactlyOneCallReachesTheProvider() throws Exception {
        Tenant tenant = openAiTenant();
        String token = mintToken(tenant, "openai");
        ApiClient[] instances = {browser(), secondInstance.client().withoutCsrf()};
        int before = upstream.count("POST", OPENAI_CALLS);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService browsers = Executors.newFixedThreadPool(50);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                ApiClient instance = instances[i % 2];
                statuses.add(browsers.submit(() -> {
                    go.await();
                    return offer(instance, token).status();
                }));
            }
            go.countDown();
            List<Integer> results = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                results.add(status.get());
            }

            assertThat(results).filteredOn(status -> status == 201).hasSize(1);
            assertThat(results).filteredOn(status -> status == 401).hasSize(49);
            assertThat(upstream.count("POST", OPENAI_CALLS)).isEqualTo(before + 1);
            assertThat(tenant.owner().client().get(tenant.path("/calls")).json().get("items")).hasSize(1);
            assertThat(ledgerRows(tenant.owner().orgId())).as("billed once").isEqualTo(1);
        } finally {
            browsers.shutdownNow();
        }
    }
}
