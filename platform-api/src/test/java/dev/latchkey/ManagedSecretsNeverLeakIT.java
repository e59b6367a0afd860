package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.ManagedPlatform;
import dev.latchkey.support.PlatformAdmins;
import dev.latchkey.support.Reliability;
import dev.latchkey.support.TestInfrastructure;
import tools.jackson.databind.JsonNode;

/**
 * What an organization brokering through the platform's credentials can learn of them: their
 * provider, nothing else. Every tenant-facing response (successes and refusals), every log line
 * and every audit row of the organization is searched for the platform credentials' secrets, ids,
 * last four characters, fingerprints, labels and config; every database row for their secrets.
 */
@ExtendWith(OutputCaptureExtension.class)
class ManagedSecretsNeverLeakIT extends IntegrationTest {

    private static final String OPENAI_SECRET = "sk-proj-platformNeverLeaks0123456789abcdefXYZ";
    private static final String AZURE_SECRET = "0123456789abcdef0123456789abcdef";
    private static final String AZURE_HOST = "platform-hidden-resource.openai.azure.com";
    private static final String AZURE_DEPLOYMENT = "platform-hidden-deployment";
    private static final String DAILY_SECRET = "dailyplatformsecret0123456789abcdef0123456789abcdef0123456789ab";
    private static final String OFFER = "v=0\r\no=- 46117314 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendrecv\r\n";

    @Test
    void givenAnOrganizationBrokeringThroughPlatformCredentials_whenSearchingWhatItSees_thenNothingOfThemButTheProvider(
            CapturedOutput output) throws SQLException {
        SignedUp adminUser = signUp();
        ApiClient admin = PlatformAdmins.promote(client(), adminUser.userId(), adminUser.email(), adminUser.password());
        List<JsonNode> platform = List.of(
                ManagedPlatform.storeDefault(admin, Map.of("provider", "openai", "label", "hidden-label-openai",
                        "secret", Map.of("api_key", OPENAI_SECRET),
                        "config", Map.of("organization", "org-platformhidden", "project", "proj_platformhidden"))),
                ManagedPlatform.storeDefault(admin, Map.of("provider", "azure-openai", "label", "hidden-label-azure",
                        "secret", Map.of("api_key", AZURE_SECRET),
                        "config", Map.of("endpoint", "https://" + AZURE_HOST, "deployment", AZURE_DEPLOYMENT))),
                ManagedPlatform.storeDefault(admin, Map.of("provider", "daily", "label", "hidden-label-daily",
                        "secret", Map.of("api_key", DAILY_SECRET))));
        SignedUp owner = signUp();
        ManagedPlatform.grant(admin, owner.orgId(), "openai", "azure-openai", "daily");
        String orgPath = "/v1/orgs/" + owner.orgId();
        ApiClient app = client().bearer(createApiKey(owner, "tokens:mint", "rooms:write", "sessions:mint", "usage:read"));
        ApiClient console = owner.client();

        List<ApiClient.Response> responses = new ArrayList<>();
        responses.add(app.post("/v1/tokens", Map.of("provider", "openai")));
        responses.add(app.post("/openai/v1/realtime/client_secrets", Map.of(), "X-Credential-Id", "managed"));
        responses.add(app.post("/v1/tokens", Map.of("provider", "azure-openai")));
        responses.add(app.post("/v1/realtime/sessions", Map.of("provider", "azure-openai", "session",
                Map.of("model", "gpt-4o"))));
        ApiClient.Response session = app.post("/v1/realtime/sessions", Map.of("provider", "azure-openai"));
        responses.add(session);
        responses.add(client().withoutCsrf().send("POST", "/v1/realtime/calls", OFFER, "application/sdp",
                "Authorization", "Bearer " + session.json().get("token").asString()));
        responses.add(app.post("/v1/rooms", Map.of("name", "hidden-" + System.nanoTime())));
        responses.add(app.post("/v1/tokens", Map.of("provider", "daily", "room", "lobby")));
        // Refusals: asking for a credential by the platform's id, and another org asking without access.
        responses.add(app.post("/v1/tokens", Map.of("provider", "openai", "credential",
                platform.get(0).get("id").asString())));
        SignedUp outsider = signUp();
        responses.add(client().bearer(createApiKey(outsider, "tokens:mint"))
                .post("/v1/tokens", Map.of("provider", "openai", "credential", "managed")));
        for (String read : List.of("/ledger", "/usage?group_by=credential_source", "/usage?group_by=provider",
                "/invoice-preview", "/calls", "/credentials", "/managed-access", "/quota", "/audit-events")) {
            responses.add(console.get(orgPath + read));
        }
        responses.add(console.get(orgPath + "/ledger", "Accept", "text/csv"));
        responses.add(console.get(orgPath + "/audit-events", "Accept", "text/csv"));
        sql("UPDATE credential_usage SET minute = minute - interval '2 minutes' WHERE org_id = ?", owner.orgId());
        awaitAuditLinked();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                console.get(orgPath + "/audit-events?action=credential.used").json().get("items").size() > 0);
        responses.add(console.get(orgPath + "/audit-events?limit=200"));

        assertThat(responses.get(0).status()).isEqualTo(200);
        assertThat(responses.get(5).status()).as("the session token's call").isEqualTo(201);
        List<String> hidden = new ArrayList<>(List.of(OPENAI_SECRET, OPENAI_SECRET.substring(8, 30), AZURE_SECRET,
                DAILY_SECRET, DAILY_SECRET.substring(0, 24), AZURE_HOST, AZURE_DEPLOYMENT, "org-platformhidden",
                "proj_platformhidden", "hidden-label"));
        for (JsonNode credential : platform) {
            hidden.add(credential.get("id").asString());
            hidden.add(credential.get("fingerprint").asString());
        }
        for (ApiClient.Response response : responses) {
            String seen = response.status() + " " + response.headers() + " " + response.body();
            assertThat(Reliability.leakedInto("a response", seen, hidden)).as("%s", seen).isEmpty();
        }
        assertThat(Reliability.leakedInto("the log", output.getAll(), List.of(OPENAI_SECRET, AZURE_SECRET,
                DAILY_SECRET))).isEmpty();
        String auditRows = rows("SELECT t::text FROM audit_events t WHERE org_id = ?", owner.orgId())
                + rows("SELECT t::text FROM audit_pending t WHERE org_id = ?", owner.orgId());
        assertThat(auditRows).contains("credential.used").contains("managed_credential");
        assertThat(Reliability.leakedInto("the audit rows", auditRows, hidden)).isEmpty();
        String everyRow = everyRowOfEveryTable();
        assertThat(everyRow).contains(platform.get(0).get("fingerprint").asString());
        assertThat(Reliability.leakedInto("the database", everyRow, List.of(OPENAI_SECRET,
                OPENAI_SECRET.substring(8, 30), AZURE_SECRET, DAILY_SECRET))).isEmpty();
    }

    private static void sql(String statement, UUID orgId) throws SQLException {
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement update = connection.prepareStatement(statement)) {
            update.setObject(1, orgId);
            update.executeUpdate();
        }
    }

    private static String rows(String query, UUID orgId) throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setObject(1, orgId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    all.append(rs.getString(1)).append('\n');
                }
            }
        }
        return all.toString();
    }

    private static String everyRowOfEveryTable() throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Connection connection = TestInfrastructure.get().connect(); Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("platform_credentials", "platform_credential_data_keys");
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
