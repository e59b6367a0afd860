package dev.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.MeteredIntegrationTest;
import dev.latchkey.support.SecondInstance;
import dev.latchkey.support.SecondInstanceExtension;

/**
 * The data-key cache of each instance: concurrent first uses of an organization's key share one
 * unwrap (no stampede on the key-encryption backend), and a change to a wrapped key (a rewrap on
 * master-key rotation, or its deletion with its organization) drops it from every instance's
 * cache, not only from the instance that made the change.
 */
@ExtendWith(SecondInstanceExtension.class)
class DataKeyCacheIT extends MeteredIntegrationTest {

    @Test
    void givenConcurrentFirstUsesOnAFreshInstance_whenMinting_thenTheDataKeyIsUnwrappedOnce() {
        SignedUp owner = signUp();
        addLiveKitCredential(owner);
        String key = createApiKey(owner, "tokens:mint");
        // Nothing in the background of this instance opens other organizations' keys meanwhile.
        try (SecondInstance fresh = SecondInstance.start(Map.of("latchkey.webhooks.poll-interval", "1h",
                "latchkey.sessions.cap-check-interval", "1h"))) {
            ApiClient app = fresh.client().bearer(key);
            double before = unwraps(fresh.client());

            List<Integer> statuses = concurrently(16, 16, i -> mintLiveKit(app, "first-" + i).status());

            assertThat(statuses).containsOnly(200);
            assertThat(unwraps(fresh.client()) - before).isEqualTo(1);
        }
    }

    @Test
    void givenAnotherInstanceHoldsTheDataKey_whenTheMasterKeyIsRotatedHere_thenThatInstanceDropsItsCopy(
            SecondInstance other) {
        SignedUp owner = signUp();
        addLiveKitCredential(owner);
        String key = createApiKey(owner, "tokens:mint");
        ApiClient app = other.client().bearer(key);
        assertThat(mintLiveKit(app, "before").status()).isEqualTo(200);
        double before = unwraps(other.client());

        assertThat(platformAdmin().post("/v1/admin/keys/rotate", null).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(mintLiveKit(app, "after").status()).isEqualTo(200);
            assertThat(unwraps(other.client())).as("the rewrapped key was unwrapped anew").isGreaterThan(before);
        });
    }

    private static double unwraps(ApiClient instance) {
        return instance.get("/actuator/prometheus").body().lines()
                .filter(line -> line.startsWith("latchkey_crypto_data_key_unwraps_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
