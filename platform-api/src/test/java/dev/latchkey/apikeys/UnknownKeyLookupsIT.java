package dev.latchkey.apikeys;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.SecondInstance;

/**
 * A key an instance has not seen costs it a database read, so a stranger sending well-formed
 * keys (valid checksums, unknown lookup ids) cannot make it read without end: past a few per
 * second from one address the answer is a 429 that costs nothing.
 */
class UnknownKeyLookupsIT extends IntegrationTest {

    @Test
    void givenManyUnknownButWellFormedKeysFromOneAddress_whenPresented_thenLookupsAreLimitedWith429() {
        SecureRandom random = new SecureRandom();
        try (SecondInstance instance = SecondInstance.start(Map.of("latchkey.api-keys.lookups-per-second", "2"))) {
            List<Integer> statuses = new ArrayList<>();
            ApiClient.Response limited = null;
            for (int i = 0; i < 40; i++) {
                ApiClient.Response response = instance.client().bearer(PlatformKeyFormat.generate(random).key())
                        .get("/v1/orgs/00000000-0000-0000-0000-000000000000");
                statuses.add(response.status());
                if (response.status() == 429) {
                    limited = response;
                }
            }

            assertThat(statuses).containsOnly(401, 429);
            assertThat(statuses.stream().filter(status -> status == 401).count())
                    .as("lookups allowed: the burst of ten times two, and what refilled meanwhile").isBetween(20L, 30L);
            assertThat(limited).isNotNull();
            assertThatProblem(limited).hasStatus(429).hasType("/problems/rate-limited");
            assertThat(limited.header("Retry-After")).isEqualTo("1");
        }
    }
}
