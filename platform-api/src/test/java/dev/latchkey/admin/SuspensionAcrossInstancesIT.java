package dev.latchkey.admin;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.SecondInstance;
import dev.latchkey.support.SecondInstanceExtension;

@ExtendWith(SecondInstanceExtension.class)
class SuspensionAcrossInstancesIT extends IntegrationTest {

    private final SecondInstance secondInstance;

    SuspensionAcrossInstancesIT(SecondInstance secondInstance) {
        this.secondInstance = secondInstance;
    }

    @Test
    void givenKeysInUseOnTwoInstances_whenTheOrganizationIsSuspendedOnOne_thenBothRefuseThemWithinOneSecondUntilResumed() {
        SignedUp owner = signUp();
        String orgPath = "/v1/orgs/" + owner.orgId();
        ApiClient onSecond = secondInstance.client().bearer(createApiKey(owner, "admin"));
        ApiClient onFirst = client().bearer(createApiKey(owner, "usage:read"));
        // Both instances have verified (and cached) the keys before the suspension.
        assertThat(onSecond.get(orgPath).status()).isEqualTo(200);
        assertThat(onFirst.get(orgPath).status()).isEqualTo(200);

        assertThat(platformAdmin().post("/v1/admin/orgs/" + owner.orgId() + "/suspend",
                Map.of("reason", "abuse report")).status()).isEqualTo(200);
        long suspendedAt = System.nanoTime();

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> onSecond.get(orgPath).status() == 403 && onFirst.get(orgPath).status() == 403);
        assertThat(Duration.ofNanos(System.nanoTime() - suspendedAt)).isLessThan(Duration.ofSeconds(1));
        ApiClient.Response refused = onSecond.get(orgPath + "/api-keys");
        assertThatProblem(refused).hasStatus(403).hasType("/problems/org-suspended");
        assertThat(refused.json().get("detail").asString()).contains("suspended");

        assertThat(platformAdmin().post("/v1/admin/orgs/" + owner.orgId() + "/resume", null).status())
                .isEqualTo(200);
        long resumedAt = System.nanoTime();

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> onSecond.get(orgPath).status() == 200 && onFirst.get(orgPath).status() == 200);
        assertThat(Duration.ofNanos(System.nanoTime() - resumedAt)).isLessThan(Duration.ofSeconds(1));
    }
}
