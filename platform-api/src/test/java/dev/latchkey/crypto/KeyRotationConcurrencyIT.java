package dev.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.SecondInstance;
import dev.latchkey.support.SecondInstanceExtension;
import dev.latchkey.support.TestInfrastructure;

/**
 * Two embedded-default instances in one folder share the generated master key file. Before,
 * both could add "version N+1" with different keys and re-wrap half the organizations each;
 * the file kept one of them, and the other half's data keys were lost for good.
 */
@ExtendWith(SecondInstanceExtension.class)
class KeyRotationConcurrencyIT extends IntegrationTest {

    private static final String ROTATE = "/v1/admin/keys/rotate";

    @Test
    void givenTwoInstancesSharingTheKeyFile_whenAdminsRotateOnBothAtOnce_thenOneRotatesAtATimeAndEveryDataKeyStillUnwraps(
            SecondInstance other) throws Exception {
        SignedUp first = signUp();
        SignedUp second = signUp();
        storeCredential(first);
        storeCredential(second);
        ApiClient here = platformAdmin();
        ApiClient there = other.client();
        assertThat(there.post("/v1/auth/login", Map.of("email", PLATFORM_ADMIN_EMAIL,
                "password", PLATFORM_ADMIN_PASSWORD)).status()).isEqualTo(200);
        List<Integer> statuses = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<Integer> onThis = CompletableFuture.supplyAsync(() -> rotate(here, start));
            CompletableFuture<Integer> onThat = CompletableFuture.supplyAsync(() -> rotate(there, start));
            start.countDown();
            statuses.add(onThis.get());
            statuses.add(onThat.get());
        }

        assertThat(statuses).containsOnly(200, 409).contains(200);
        // Both instances still decrypt both organizations' credentials.
        for (ApiClient console : List.of(first.client(), second.client())) {
            assertThat(console.get("/v1/me").status()).isEqualTo(200);
        }

        LocalKeyring file = LocalKeyring.fromFile(Path.of(TestInfrastructure.get().properties().get("latchkey.home"),
                "master.key"), new SecureRandom());
        try (Connection connection = TestInfrastructure.get().connect(); Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery(
                        "SELECT org_id, kek_version, wrapped_key FROM org_data_keys WHERE kek_backend = 'local'")) {
            int unwrapped = 0;
            while (rows.next()) {
                WrappedKey wrapped = new WrappedKey("local", rows.getString(2), rows.getString(3));
                assertThat(file.unwrap(wrapped)).as("data key of %s", rows.getString(1)).hasSize(32);
                unwrapped++;
            }
            assertThat(unwrapped).isGreaterThanOrEqualTo(2);
        }
    }

    private static int rotate(ApiClient admin, CountDownLatch start) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return admin.post(ROTATE, null).status();
    }

    private static void storeCredential(SignedUp owner) {
        ApiClient.Response created = owner.client().post("/v1/orgs/" + owner.orgId() + "/credentials", Map.of(
                "provider", "openai", "label", "rotation", "secret", Map.of("api_key", "sk-rotation-test-0123456789")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }
}
