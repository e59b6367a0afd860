package dev.latchkey.apikeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.SecondInstance;
import dev.latchkey.support.SecondInstanceExtension;

@ExtendWith(SecondInstanceExtension.class)
class RevocationAcrossInstancesIT extends IntegrationTest {

    private final SecondInstance secondInstance;

    RevocationAcrossInstancesIT(SecondInstance secondInstance) {
        this.secondInstance = secondInstance;
    }

    @Test
    void givenKeyInUseOnTwoInstances_whenRevokedOnOne_thenTheOtherRefusesItWithinOneSecond() {
        SignedUp owner = signUp();
        String key = createApiKey(owner, "admin");
        ApiClient onSecond = secondInstance.client().bearer(key);
        String orgPath = "/v1/orgs/" + owner.orgId();
        // The second instance has verified (and cached) the key before the revocation.
        assertThat(onSecond.get(orgPath)).extracting(ApiClient.Response::status).as("first use on the second instance").isEqualTo(200);
        String keyId = owner.client().get(orgPath + "/api-keys").json().get("items").get(0).get("id").asString();

        assertThat(owner.client().delete(orgPath + "/api-keys/" + keyId).status()).isEqualTo(204);
        long revokedAt = System.nanoTime();

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> onSecond.get(orgPath).status() == 401);
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(1));
        ApiClient.Response refused = onSecond.get(orgPath);
        assertThat(refused.json().get("type").asString()).isEqualTo("/problems/invalid-api-key");
        assertThat(refused.json().get("detail").asString()).contains("revoked");
    }

    @Test
    void givenUserSignedInOnOneInstance_whenCallingTheOther_thenTheSessionIsShared() {
        SignedUp owner = signUp();
        ApiClient onSecond = secondInstance.client();

        ApiClient.Response login = onSecond.post("/v1/auth/login",
                java.util.Map.of("email", owner.email(), "password", owner.password()));

        assertThat(login.status()).isEqualTo(200);
        assertThat(onSecond.get("/v1/me").status()).isEqualTo(200);
    }
}
