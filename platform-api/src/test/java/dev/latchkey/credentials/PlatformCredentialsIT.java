package dev.latchkey.credentials;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.latchkey.crypto.DataKeyScope;
import dev.latchkey.crypto.DecryptionFailedException;
import dev.latchkey.crypto.EnvelopeEncryption;
import dev.latchkey.support.ApiClient;
import dev.latchkey.support.FakeUpstream;
import dev.latchkey.support.ManagedPlatform;
import dev.latchkey.support.MeteredIntegrationTest;
import dev.latchkey.support.TestInfrastructure;
import tools.jackson.databind.JsonNode;

/** The platform's own provider credentials ({@code /v1/admin/credentials}), as platform admins keep them. */
class PlatformCredentialsIT extends MeteredIntegrationTest {

    private static final String ADMIN_PATH = "/v1/admin/credentials";

    @Autowired
    EnvelopeEncryption encryption;

    @Test
    void givenAPlatformAdmin_whenStoringRotatingVerifyingCappingAndDeleting_thenSecretsAreWriteOnlyAndEveryStepIsAudited() {
        ApiClient admin = platformAdmin();
        String first = "sk-platform-lifecycle-0000000000000000000A1";
        String second = "sk-platform-lifecycle-0000000000000000000B2";

        ApiClient.Response created = admin.post(ADMIN_PATH, Map.of("provider", "openai", "label", "platform main",
                "secret", Map.of("api_key", first), "config", Map.of("project", "proj_platform"),
                "cap", Map.of("requests_per_minute", 600, "requests_per_month", 100_000)));

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonNode credential = created.json();
        String id = credential.get("id").asString();
        assertThat(credential.get("provider").asString()).isEqualTo("openai");
        assertThat(credential.get("last4").asString()).isEqualTo("00A1");
        assertThat(credential.get("fingerprint").asString()).startsWith("fp_");
        assertThat(credential.get("config").get("project").asString()).isEqualTo("proj_platform");
        assertThat(credential.get("cap").get("requests_per_minute").asInt()).isEqualTo(600);
        assertThat(credential.get("cap").get("requests_per_month").asLong()).isEqualTo(100_000);
        assertThat(created.body()).doesNotContain(first);
        assertThat(admin.get(ADMIN_PATH).json().get("items").toString()).contains(id).doesNotContain(first);
        assertThat(admin.get(ADMIN_PATH + "/" + id).json().get("label").asString()).isEqualTo("platform main");

        ApiClient.Response rotated = admin.put(ADMIN_PATH + "/" + id + "/secret", Map.of("secret", Map.of("api_key", second)));
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.json().get("last4").asString()).isEqualTo("00B2");
        assertThat(rotated.json().get("fingerprint").asString()).isNotEqualTo(credential.get("fingerprint").asString());
        assertThat(rotated.json().get("rotated_at").isNull()).isFalse();
        assertThat(rotated.body()).doesNotContain(second);

        ApiClient.Response verified = admin.post(ADMIN_PATH + "/" + id + "/verify", null);
        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.json().get("valid").asBoolean()).isTrue();
        assertThat(FakeUpstream.get().last("GET", "/openai/v1/models").header("Authorization")).isEqualTo("Bearer " + second);
        assertThat(verified.json().get("credential").get("verification").asString()).isEqualTo("valid");

        ApiClient.Response capped = admin.put(ADMIN_PATH + "/" + id + "/cap", Map.of("requests_per_month", 10));
        assertThat(capped.status()).isEqualTo(200);
        assertThat(capped.json().get("cap").get("requests_per_minute").isNull()).isTrue();
        assertThat(capped.json().get("cap").get("requests_per_month").asLong()).isEqualTo(10);

        assertThat(admin.delete(ADMIN_PATH + "/" + id).status()).isEqualTo(204);
        assertThatProblem(admin.get(ADMIN_PATH + "/" + id)).hasStatus(404);
        assertThatProblem(admin.delete(ADMIN_PATH + "/" + id)).hasStatus(404);

        JsonNode events = admin.get("/v1/admin/audit-events?target_type=platform_credential&target_id=" + id
                + "&order=asc").json().get("items");
        List<String> actions = new java.util.ArrayList<>();
        events.forEach(event -> actions.add(event.get("action").asString()));
        assertThat(actions).containsExactly("credential.created", "credential.rotated",
                "credential.verified", "credential.cap_changed", "credential.deleted");
        events.forEach(event -> assertThat(event.get("org_id").isNull()).as("in no organization's log").isTrue());
        assertThat(events.toString()).doesNotContain(first).doesNotContain(second);
    }

    @Test
    void givenBadInput_whenStoringAPlatformCredential_thenA400NamesTheField() {
        ApiClient admin = platformAdmin();

        assertThatProblem(admin.post(ADMIN_PATH, Map.of("provider", "acme", "label", "x", "secret", Map.of("api_key", "k"))))
                .hasStatus(400).namesField("provider");
        assertThatProblem(admin.post(ADMIN_PATH, Map.of("provider", "openai", "label", "x")))
                .hasStatus(400).namesField("secret");
        assertThatProblem(admin.post(ADMIN_PATH, Map.of("provider", "azure-openai", "label", "x",
                "secret", Map.of("api_key", "azure-platform-key-0000000000000000"),
                "config", Map.of("endpoint", "https://169.254.169.254", "deployment", "d"))))
                .hasStatus(400).namesField("config.endpoint");
        assertThatProblem(admin.post(ADMIN_PATH, Map.of("provider", "openai", "label", "x",
                "secret", Map.of("api_key", "sk-platform-bad-cap-000000000000000"), "cap", Map.of("requests_per_minute", 0))))
                .hasStatus(400).namesField("cap.requests_per_minute");
        ApiClient.Response refusedSecret = admin.post(ADMIN_PATH, Map.of("provider", "openai", "label", "x",
                "secret", Map.of("api_key", "sk-platform never shown back")));
        assertThatProblem(refusedSecret).hasStatus(400).namesField("secret.api_key");
        assertThat(refusedSecret.body()).doesNotContain("never shown back");
        assertThatProblem(admin.put(ADMIN_PATH + "/" + UUID.randomUUID() + "/cap", Map.of())).hasStatus(404);
    }

    @Test
    void givenATenantsUserOrKey_whenCallingThePlatformCredentialEndpoints_thenNotFound() {
        ApiClient admin = platformAdmin();
        String id = ManagedPlatform.id(ManagedPlatform.storeDefault(admin,
                ManagedPlatform.openAi("isolation", "sk-platform-isolation-000000000000001"))).toString();
        SignedUp owner = signUp();
        List<ApiClient> tenants = List.of(owner.client(), client().bearer(createApiKey(owner, "admin")));

        for (ApiClient tenant : tenants) {
            for (ApiClient.Response response : List.of(tenant.get(ADMIN_PATH), tenant.get(ADMIN_PATH + "/" + id),
                    tenant.post(ADMIN_PATH, ManagedPlatform.openAi("mine", "sk-tenant-tries-platform-000000000001")),
                    tenant.put(ADMIN_PATH + "/" + id + "/secret", Map.of("secret", Map.of("api_key", "sk-x-000000000000"))),
                    tenant.put(ADMIN_PATH + "/" + id + "/cap", Map.of()),
                    tenant.post(ADMIN_PATH + "/" + id + "/verify", null),
                    tenant.post(ADMIN_PATH + "/" + id + "/default", null),
                    tenant.delete(ADMIN_PATH + "/" + id),
                    tenant.get("/v1/admin/orgs/" + owner.orgId() + "/managed-access"),
                    tenant.put("/v1/admin/orgs/" + owner.orgId() + "/managed-access", Map.of("providers", List.of("openai"))))) {
                assertThatProblem(response).hasStatus(404).hasType("/problems/not-found");
                assertThat(response.body()).doesNotContain("isolation");
            }
        }
        assertThat(admin.get(ADMIN_PATH + "/" + id).status()).isEqualTo(200);
        assertThat(owner.client().get("/v1/orgs/" + owner.orgId() + "/managed-access").json()
                .get("effective_providers")).isEmpty();
    }

    @Test
    void givenAPlatformCredential_whenDeleted_thenItsDataKeyIsDestroyedAndNoCopyOfItsCiphertextDecryptsAgain()
            throws SQLException {
        ApiClient admin = platformAdmin();
        UUID id = ManagedPlatform.id(ManagedPlatform.storeDefault(admin,
                ManagedPlatform.openAi("shredded", "sk-platform-shredded-0000000000000001")));
        byte[] ciphertext = ciphertext(id);
        assertThat(encryption.decrypt(DataKeyScope.platformCredential(id), "credential:" + id, ciphertext)).isNotEmpty();

        assertThat(admin.delete("/v1/admin/credentials/" + id).status()).isEqualTo(204);

        assertThat(count("SELECT count(*) FROM platform_credential_data_keys WHERE credential_id = ?", id)).isZero();
        assertThatThrownBy(() -> encryption.decrypt(DataKeyScope.platformCredential(id), "credential:" + id, ciphertext))
                .isInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void givenAPlatformCiphertext_whenOpenedInAnOrganizationsScopeOrAsAnotherCredential_thenItDoesNotDecrypt()
            throws SQLException {
        ApiClient admin = platformAdmin();
        UUID id = ManagedPlatform.id(ManagedPlatform.storeDefault(admin,
                ManagedPlatform.openAi("scoped", "sk-platform-scoped-00000000000000001")));
        UUID other = ManagedPlatform.id(ManagedPlatform.storeDefault(admin,
                ManagedPlatform.openAi("scoped other", "sk-platform-scoped-00000000000000002")));
        SignedUp owner = signUp();
        owner.client().post("/v1/orgs/" + owner.orgId() + "/credentials", Map.of("provider", "openai", "label", "own",
                "secret", Map.of("api_key", "sk-tenant-scoped-000000000000000001")));
        byte[] ciphertext = ciphertext(id);

        assertThatThrownBy(() -> encryption.decrypt(DataKeyScope.organization(owner.orgId()), "credential:" + id,
                ciphertext)).isInstanceOf(DecryptionFailedException.class);
        assertThatThrownBy(() -> encryption.decrypt(DataKeyScope.platformCredential(other), "credential:" + id,
                ciphertext)).isInstanceOf(DecryptionFailedException.class);
        assertThatThrownBy(() -> encryption.decrypt(DataKeyScope.platformCredential(id), "credential:" + other,
                ciphertext)).isInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void givenPlatformCredentials_whenTheMasterKeyIsRotated_thenTheirDataKeysAreRewrappedAndManagedMintsStillWork()
            throws SQLException {
        ApiClient admin = platformAdmin();
        String key = "sk-platform-rotation-00000000000000001";
        UUID id = ManagedPlatform.id(ManagedPlatform.storeDefault(admin, ManagedPlatform.openAi("rotation", key)));
        SignedUp owner = signUp();
        ManagedPlatform.grant(admin, owner.orgId(), "openai");
        ApiClient app = client().bearer(createApiKey(owner, "tokens:mint"));

        EnvelopeEncryption.Rotation rotation = encryption.rotateKeyEncryptionKey();

        assertThat(count("SELECT count(*) FROM platform_credential_data_keys WHERE credential_id = ? AND kek_version = ?", id,
                rotation.version())).isEqualTo(1);
        assertThat(app.post("/v1/tokens", Map.of("provider", "openai")).status()).isEqualTo(200);
        assertThat(FakeUpstream.get().last("POST", "/openai/v1/realtime/client_secrets").header("Authorization"))
                .isEqualTo("Bearer " + key);
    }

    private static byte[] ciphertext(UUID id) throws SQLException {
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT secret_ciphertext FROM platform_credentials WHERE id = ?")) {
            query.setObject(1, id);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    private static long count(String sql, Object... parameters) {
        return queryLong(sql, parameters);
    }
}
