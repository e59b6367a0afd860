package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.TestInfrastructure;

@ExtendWith(OutputCaptureExtension.class)
class SecretsNeverLeakIT extends IntegrationTest {

    @Test
    void givenPasswordsAndApiKeysInUse_whenSearchingResponsesLogsAndEveryDatabaseRow_thenNoSecretIsFound(
            CapturedOutput output) throws SQLException {
        SignedUp owner = signUp();
        String orgPath = "/v1/orgs/" + owner.orgId();
        ApiClient.Response created = owner.client().post(orgPath + "/api-keys",
                Map.of("name", "leak check", "scopes", new String[] {"admin"}));
        String key = created.json().get("key").asString();
        String keyId = created.json().get("id").asString();
        ApiClient.Response rotated = owner.client().post(orgPath + "/api-keys/" + keyId + "/rotate",
                Map.of("grace_seconds", 60));
        String rotatedKey = rotated.json().get("key").asString();
        String providerKey = "sk-test-never-leak-provider-key-0123456789";
        String liveKitSecret = "livekit-never-leak-api-secret-0123456789";
        ApiClient.Response credential = owner.client().post(orgPath + "/credentials", Map.of("provider", "openai",
                "label", "leak check", "secret", Map.of("api_key", providerKey)));
        String credentialId = credential.json().get("id").asString();
        List<ApiClient.Response> responses = new ArrayList<>(List.of(credential,
                owner.client().post(orgPath + "/credentials", Map.of("provider", "livekit", "label", "lk",
                        "secret", Map.of("api_secret", liveKitSecret),
                        "config", Map.of("api_key", "APIleakcheck", "url", "wss://leak.livekit.cloud"))),
                owner.client().put(orgPath + "/credentials/" + credentialId + "/secret",
                        Map.of("secret", Map.of("api_key", providerKey + "-rotated"))),
                owner.client().get(orgPath + "/credentials"),
                // A refused secret must not come back in the error either.
                owner.client().post(orgPath + "/credentials", Map.of("provider", "openai", "label", "bad",
                        "secret", Map.of("api_key", providerKey + " with spaces")))));
        ApiClient app = client().bearer(rotatedKey);
        responses.add(app.get(orgPath));
        responses.add(app.get(orgPath + "/api-keys"));
        responses.add(client().bearer(key).get(orgPath + "/api-keys/" + keyId));
        responses.add(owner.client().get("/v1/me"));
        // An invitation token: shown once to the inviter, then only ever presented by the invitee.
        String invitationToken = owner.client().post(orgPath + "/members", Map.of("email", "invitee-" + owner.email(),
                "role", "developer")).json().get("token").asString();
        responses.add(owner.client().get(orgPath + "/invitations"));
        responses.add(signUp().client().post("/v1/invitations/accept", Map.of("token", invitationToken)));
        responses.add(owner.client().get(orgPath + "/members"));
        responses.add(owner.client().get(orgPath + "/audit-events"));
        // Failures too: a wrong password and a broken key end up in logs and audit rows.
        responses.add(client().post("/v1/auth/login", Map.of("email", owner.email(), "password", owner.password() + "x")));
        responses.add(client().bearer(rotatedKey.substring(0, rotatedKey.length() - 1) + "A").get(orgPath));
        List<String> secrets = List.of(owner.password(), owner.password() + "x", key, rotatedKey,
                secretPart(key), secretPart(rotatedKey), providerKey, providerKey.substring(3), liveKitSecret,
                invitationToken, invitationToken.substring("invite_".length()));

        for (ApiClient.Response response : responses) {
            assertThat(secrets).noneMatch(secret -> response.body().contains(secret));
        }
        assertThat(secrets).noneMatch(secret -> output.getAll().contains(secret));
        String everyRow = everyRowOfEveryTable();
        assertThat(everyRow).contains(owner.email());
        assertThat(secrets).noneMatch(everyRow::contains);
    }

    /** The random part of a key after its public lookup id: what must stay secret. */
    private static String secretPart(String key) {
        return key.substring("platform_".length() + 12);
    }

    private static String everyRowOfEveryTable() throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Connection connection = TestInfrastructure.get().connect(); Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("users", "api_key_secrets", "audit_events", "spring_session_attributes",
                    "provider_credentials", "org_data_keys");
            for (String table : tables) {
                try (ResultSet rs = statement.executeQuery("SELECT t::text FROM \"" + table + "\" t")) {
                    while (rs.next()) {
                        all.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        return all.toString();
    }
}
