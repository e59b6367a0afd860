package dev.latchkey.broker;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.FakeUpstream;
import dev.latchkey.support.ManagedPlatform;
import dev.latchkey.support.TestInfrastructure;
import tools.jackson.databind.JsonNode;

/**
 * Brokering through the platform's own (managed) credentials: which credential a request gets,
 * what reaches the provider, what the organization is billed and what it may see of the platform's
 * credential (its provider, nothing else).
 */
class ManagedBrokeringIT extends BrokerTest {

    private static final String PLATFORM_OPENAI_KEY = "sk-platform-managed-openai-000000000000001";
    private static final String OWN_OPENAI_KEY = "sk-tenant-own-openai-0000000000000000001";
    private static final String CLIENT_SECRETS = "/openai/v1/realtime/client_secrets";
    private static final String OFFER = "v=0\r\no=- 46117314 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendrecv\r\n";

    private ApiClient admin;
    private JsonNode platformOpenAi;

    @BeforeEach
    void platformCredential() {
        admin = platformAdmin();
        platformOpenAi = ManagedPlatform.storeDefault(admin, ManagedPlatform.openAi("managed openai", PLATFORM_OPENAI_KEY));
    }

    /** An organization without credentials of its own, with managed access to the providers, and a key for everything. */
    private Tenant managedTenant(String... providers) {
        SignedUp owner = signUp();
        if (providers.length > 0) {
            ManagedPlatform.grant(admin, owner.orgId(), providers);
        }
        String key = createApiKey(owner, "tokens:mint", "rooms:write", "sessions:mint", "usage:read");
        return new Tenant(owner, client().bearer(key), null, key);
    }

    @Test
    void givenManagedAccessAndNoKeyOfItsOwn_whenMinting_thenThePlatformsKeyReachesOpenAiAndTheTenantSeesNothingOfIt() {
        Tenant tenant = managedTenant("openai");

        ApiClient.Response minted = tenant.app().post("/v1/tokens", Map.of("provider", "openai", "end_user", "u-1"));

        assertThat(minted.status()).as("%s", minted).isEqualTo(200);
        assertThat(upstream.last("POST", CLIENT_SECRETS).header("Authorization")).isEqualTo("Bearer " + PLATFORM_OPENAI_KEY);
        assertThat(minted.json().get("token").asString()).startsWith("ek_");
        JsonNode entry = tenant.owner().client().get(tenant.path("/ledger")).json().get("items").get(0);
        assertThat(entry.get("credential_source").asString()).isEqualTo("managed");
        assertThat(entry.get("credential_id").isNull()).as("the platform's credential is never named").isTrue();
        assertThat(entry.get("unit_price_micros").asLong()).isEqualTo(price("openai", "token.mint", "managed"));
        assertThat(entry.get("end_user").asString()).isEqualTo("u-1");
        for (ApiClient.Response seen : List.of(minted, tenant.owner().client().get(tenant.path("/ledger")),
                tenant.owner().client().get(tenant.path("/ledger"), "Accept", "text/csv"),
                tenant.owner().client().get(tenant.path("/usage?group_by=credential_source")),
                tenant.owner().client().get(tenant.path("/invoice-preview")),
                tenant.owner().client().get(tenant.path("/credentials")))) {
            assertThat(seen.status()).isEqualTo(200);
            assertNothingOfThePlatformCredentialIn(seen.body() + seen.headers());
        }
        assertThat(tenant.owner().client().get(tenant.path("/credentials")).json().get("items")).isEmpty();
    }

    @Test
    void givenAKeyOfItsOwnAndManagedAccess_whenMinting_thenItsOwnKeyServesUnlessTheRequestAsksForManaged() {
        Tenant tenant = managedTenant("openai");
        ApiClient.Response own = tenant.owner().client().post(tenant.path("/credentials"), openAiCredential(OWN_OPENAI_KEY));
        assertThat(own.status()).isEqualTo(201);
        String ownId = own.json().get("id").asString();

        assertThat(tenant.app().post("/v1/tokens", Map.of("provider", "openai")).status()).isEqualTo(200);
        assertThat(upstream.last("POST", CLIENT_SECRETS).header("Authorization")).isEqualTo("Bearer " + OWN_OPENAI_KEY);

        assertThat(tenant.app().post("/v1/tokens", Map.of("provider", "openai", "credential", "managed")).status())
                .isEqualTo(200);
        assertThat(upstream.last("POST", CLIENT_SECRETS).header("Authorization")).isEqualTo("Bearer " + PLATFORM_OPENAI_KEY);

        assertThat(tenant.app().post("/v1/tokens", Map.of("provider", "openai"), "X-Credential-Id", "managed").status())
                .isEqualTo(200);
        assertThat(upstream.last("POST", CLIENT_SECRETS).header("Authorization")).isEqualTo("Bearer " + PLATFORM_OPENAI_KEY);

        assertThat(tenant.app().post("/v1/tokens", Map.of("provider", "openai", "credential", ownId)).status())
                .isEqualTo(200);
        assertThat(upstream.last("POST", CLIENT_SECRETS).header("Authorization")).isEqualTo("Bearer " + OWN_OPENAI_KEY);

        int before = upstream.count("POST", CLIENT_SECRETS);
        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "openai", "credential", "managed"),
                "X-Credential-Id", ownId)).hasStatus(400).namesField("credential");
        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "openai", "credential", "platform")))
                .hasStatus(400).namesField("credential");
        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "openai"), "X-Credential-Id",
                platformOpenAi.get("id").asString())).as("a platform credential's id is no credential of the tenant")
                .hasStatus(404);
        assertThat(upstream.count("POST", CLIENT_SECRETS)).isEqualTo(before);

        List<String> sources = new ArrayList<>();
        tenant.owner().client().get(tenant.path("/ledger")).json().get("items")
                .forEach(item -> sources.add(item.get("credential_source").asString()));
        assertThat(sources).containsExactly("own", "managed", "managed", "own");
    }

    @Test
    void givenNoManagedAccess_whenAskingForTheManagedCredential_thenA403SaysSo_andWithoutAKeyOfItsOwnTheDefaultIsA409() {
        Tenant tenant = managedTenant();
        int before = upstream.count("POST", CLIENT_SECRETS);

        ApiClient.Response refused = tenant.app().post("/v1/tokens", Map.of("provider", "openai", "credential", "managed"));
        assertThatProblem(refused).hasStatus(403).hasType("/problems/managed-access-not-enabled");
        assertThat(refused.json().get("detail").asString()).contains("managed access").contains("openai");
        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "openai")))
                .hasStatus(409).hasType("/problems/no-credential");
        assertThatProblem(tenant.app().post("/v1/realtime/sessions", Map.of("provider", "openai"),
                "X-Credential-Id", "managed")).hasStatus(403).hasType("/problems/managed-access-not-enabled");
        assertThatProblem(tenant.app().post("/v1/rooms", Map.of("credential", "managed")))
                .hasStatus(403).hasType("/problems/managed-access-not-enabled");

        Tenant otherProvider = managedTenant("livekit");
        assertThatProblem(otherProvider.app().post("/v1/tokens", Map.of("provider", "openai", "credential", "managed")))
                .as("managed access is per provider").hasStatus(403).hasType("/problems/managed-access-not-enabled");
        assertThat(upstream.count("POST", CLIENT_SECRETS)).isEqualTo(before);
        assertThat(ledgerRows(tenant)).isZero();
    }

    @Test
    void givenManagedAccessToAProviderThePlatformHasNoCredentialFor_whenMinting_thenA409() {
        // Luna: no test of the run stores a platform Luna credential.
        Tenant tenant = managedTenant("luna");

        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "luna")))
                .hasStatus(409).hasType("/problems/no-credential");
        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "luna", "credential", "managed")))
                .hasStatus(409).hasType("/problems/no-credential");
    }

    @Test
    void givenManagedAzure_whenMintingADirectToken_thenA409PointsAtSessionTokens_whichStartACallWithThePlatformsKey() {
        String platformKey = "platform-managed-azure-key-0000000000000001";
        String deployment = "platform-secret-deployment-7";
        ManagedPlatform.storeDefault(admin, Map.of("provider", "azure-openai", "label", "managed azure",
                "secret", Map.of("api_key", platformKey),
                "config", Map.of("endpoint", "https://latchkey-platform.openai.azure.com", "deployment", deployment)));
        Tenant tenant = managedTenant("azure-openai");
        int minted = upstream.count("POST", "/azure-openai/openai/v1/realtime/client_secrets");

        ApiClient.Response direct = tenant.app().post("/v1/tokens", Map.of("provider", "azure-openai"));
        assertThatProblem(direct).hasStatus(409).hasType("/problems/managed-session-only");
        assertThat(direct.json().get("detail").asString()).contains("/v1/realtime/sessions");
        ApiClient.Response wrongModel = tenant.app().post("/v1/realtime/sessions", Map.of("provider", "azure-openai",
                "session", Map.of("model", "gpt-4o")));
        assertThatProblem(wrongModel).hasStatus(400).namesField("session.model");
        assertThat(upstream.count("POST", "/azure-openai/openai/v1/realtime/client_secrets")).isEqualTo(minted);

        ApiClient.Response session = tenant.app().post("/v1/realtime/sessions", Map.of("provider", "azure-openai",
                "end_user", "caller-9"));
        assertThat(session.status()).as("%s", session).isEqualTo(200);
        ApiClient.Response answer = client().withoutCsrf().send("POST", "/v1/realtime/calls", OFFER, "application/sdp",
                "Authorization", "Bearer " + session.json().get("token").asString());

        assertThat(answer.status()).as("%s", answer).isEqualTo(201);
        FakeUpstream.Recorded ephemeral = upstream.last("POST", "/azure-openai/openai/v1/realtime/client_secrets");
        assertThat(ephemeral.header("api-key")).isEqualTo(platformKey);
        assertThat(ephemeral.json().get("session").get("model").asString()).isEqualTo(deployment);
        JsonNode call = tenant.owner().client().get(tenant.path("/calls")).json().get("items").get(0);
        assertThat(call.get("credential_source").asString()).isEqualTo("managed");
        assertThat(call.get("credential_id").isNull()).isTrue();
        JsonNode entry = tenant.owner().client().get(tenant.path("/ledger")).json().get("items").get(0);
        assertThat(entry.get("operation").asString()).isEqualTo("call.proxy");
        assertThat(entry.get("credential_source").asString()).isEqualTo("managed");
        assertThat(entry.get("unit_price_micros").asLong()).isEqualTo(price("azure-openai", "call.proxy", "managed"));
        for (ApiClient.Response seen : List.of(direct, wrongModel, session, answer,
                tenant.owner().client().get(tenant.path("/calls")),
                tenant.app().get("/v1/realtime/calls/" + call.get("id").asString()))) {
            assertThat(seen.body()).doesNotContain(platformKey).doesNotContain(deployment)
                    .doesNotContain("latchkey-platform.openai.azure.com");
        }
    }

    @Test
    void givenAManagedOpenAiCall_whenTheAppHangsUp_thenOpenAiIsToldWithThePlatformsKeyAndTheCallIsBilledManaged() {
        Tenant tenant = managedTenant("openai");
        ApiClient.Response session = tenant.app().post("/v1/realtime/sessions", Map.of("provider", "openai",
                "credential", "managed"));
        assertThat(session.status()).as("%s", session).isEqualTo(200);
        ApiClient.Response answer = client().withoutCsrf().send("POST", "/v1/realtime/calls", OFFER, "application/sdp",
                "Authorization", "Bearer " + session.json().get("token").asString());
        assertThat(answer.status()).as("%s", answer).isEqualTo(201);
        assertThat(upstream.last("POST", "/openai/v1/realtime/calls").header("Authorization"))
                .isEqualTo("Bearer " + PLATFORM_OPENAI_KEY);
        String call = answer.header("Location").substring("/v1/realtime/calls/".length());
        String providerCallId = tenant.app().get("/v1/realtime/calls/" + call).json().get("provider_call_id").asString();

        ApiClient.Response ended = tenant.app().post("/v1/realtime/calls/" + call + "/hangup", Map.of());

        assertThat(ended.status()).as("%s", ended).isEqualTo(200);
        assertThat(ended.json().get("end_reason").asString()).isEqualTo("hangup");
        assertThat(ended.json().get("credential_source").asString()).isEqualTo("managed");
        assertThat(upstream.last("POST", "/openai/v1/realtime/calls/" + providerCallId + "/hangup").header("Authorization"))
                .isEqualTo("Bearer " + PLATFORM_OPENAI_KEY);
        assertNothingOfThePlatformCredentialIn(ended.body() + session.body() + answer.body());
        JsonNode entry = tenant.owner().client().get(tenant.path("/ledger")).json().get("items").get(0);
        assertThat(entry.get("operation").asString()).isEqualTo("call.proxy");
        assertThat(entry.get("credential_source").asString()).isEqualTo("managed");
    }

    @Test
    void givenManagedDaily_whenCreatingAndReadingARoom_thenDailyGetsThePlatformsKeyAndTheRoomIsBilledManaged() {
        String platformKey = "platformmanageddailykey000000000000000000000000000000000000000001";
        ManagedPlatform.storeDefault(admin, Map.of("provider", "daily", "label", "managed daily",
                "secret", Map.of("api_key", platformKey)));
        Tenant tenant = managedTenant("daily");
        String name = "managed-room-" + System.nanoTime();

        ApiClient.Response created = tenant.app().post("/v1/rooms", Map.of("name", name));

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(upstream.last("POST", "/daily/rooms").header("Authorization")).isEqualTo("Bearer " + platformKey);
        assertThat(tenant.app().get("/v1/rooms/" + name, "X-Credential-Id", "managed").status()).isEqualTo(200);
        assertThat(upstream.last("GET", "/daily/rooms/" + name).header("Authorization")).isEqualTo("Bearer " + platformKey);
        JsonNode entry = tenant.owner().client().get(tenant.path("/ledger")).json().get("items").get(0);
        assertThat(entry.get("operation").asString()).isEqualTo("room.create");
        assertThat(entry.get("credential_source").asString()).isEqualTo("managed");
        assertThat(entry.get("amount_micros").asLong()).isEqualTo(price("daily", "room.create", "managed"));
    }

    @Test
    void givenOwnAndManagedMints_whenReadingUsageLedgerCsvAndInvoicePreview_thenBothAreShownApartAndAddUpToTheMicroUnit() {
        Tenant tenant = managedTenant("openai");
        assertThat(tenant.owner().client().post(tenant.path("/credentials"), openAiCredential(OWN_OPENAI_KEY)).status())
                .isEqualTo(201);
        for (int i = 0; i < 2; i++) {
            assertThat(tenant.app().post("/v1/tokens", Map.of("provider", "openai")).status()).isEqualTo(200);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(tenant.app().post("/v1/tokens", Map.of("provider", "openai", "credential", "managed")).status())
                    .isEqualTo(200);
        }
        long own = 2 * price("openai", "token.mint", "own");
        long managed = 3 * price("openai", "token.mint", "managed");
        assertThat(managed).as("the managed price includes the provider's cost").isGreaterThan(own);
        ApiClient console = tenant.owner().client();

        Map<String, Long> usage = new HashMap<>();
        console.get(tenant.path("/usage?group_by=credential_source")).json().get("items")
                .forEach(row -> usage.put(row.get("key").asString(), row.get("amount_micros").asLong()));
        assertThat(usage).containsExactlyInAnyOrderEntriesOf(Map.of("own", own, "managed", managed));

        JsonNode invoice = console.get(tenant.path("/invoice-preview")).json();
        Map<String, Long> bySource = new HashMap<>();
        invoice.get("by_credential_source").forEach(row -> {
            assertThat(row.get("currency").asString()).isEqualTo("USD");
            bySource.put(row.get("credential_source").asString(), row.get("amount_micros").asLong());
        });
        assertThat(bySource).containsExactlyInAnyOrderEntriesOf(Map.of("own", own, "managed", managed));
        assertThat(invoice.get("totals").get(0).get("amount_micros").asLong()).isEqualTo(own + managed);
        long lines = 0;
        for (JsonNode line : invoice.get("lines")) {
            lines += line.get("amount_micros").asLong();
        }
        assertThat(lines).isEqualTo(own + managed);

        JsonNode managedOnly = console.get(tenant.path("/ledger?credential_source=managed")).json().get("items");
        assertThat(managedOnly).hasSize(3);
        managedOnly.forEach(item -> assertThat(item.get("credential_source").asString()).isEqualTo("managed"));
        assertThatProblem(console.get(tenant.path("/ledger?credential_source=platform")))
                .hasStatus(400).namesField("credential_source");

        String csv = console.get(tenant.path("/ledger"), "Accept", "text/csv").body();
        String[] rows = csv.split("\r\n");
        assertThat(rows).hasSize(6);
        List<String> header = List.of(rows[0].split(","));
        int source = header.indexOf("credential_source");
        int amount = header.indexOf("amount_micros");
        int credential = header.indexOf("credential_id");
        long csvOwn = 0;
        long csvManaged = 0;
        for (int i = 1; i < rows.length; i++) {
            String[] cells = rows[i].split(",", -1);
            if (cells[source].equals("managed")) {
                csvManaged += Long.parseLong(cells[amount]);
                assertThat(cells[credential]).isEmpty();
            } else {
                csvOwn += Long.parseLong(cells[amount]);
                assertThat(cells[credential]).isNotEmpty();
            }
        }
        assertThat(csvOwn).isEqualTo(own);
        assertThat(csvManaged).isEqualTo(managed);
        assertThat(console.get(tenant.path("/ledger?credential_source=own"), "Accept", "text/csv").body().split("\r\n"))
                .hasSize(3);
    }

    @Test
    void givenManagedMints_whenTheirMinuteHasClosed_thenTheOrgsAuditLogNamesOnlyTheProviderAndThePlatformsTheCredential() {
        Tenant tenant = managedTenant("openai");
        for (int i = 0; i < 2; i++) {
            assertThat(tenant.app().post("/v1/tokens", Map.of("provider", "openai")).status()).isEqualTo(200);
        }
        String platformId = platformOpenAi.get("id").asString();
        // The minute of these uses closes as if a minute had passed.
        sql("UPDATE credential_usage SET minute = minute - interval '2 minutes' WHERE org_id = ?", tenant.owner().orgId());

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tenant.owner().client()
                .get(tenant.path("/audit-events?action=credential.used")).json().get("items")).hasSize(1));
        ApiClient.Response log = tenant.owner().client().get(tenant.path("/audit-events"));
        JsonNode used = tenant.owner().client().get(tenant.path("/audit-events?action=credential.used")).json()
                .get("items").get(0);
        assertThat(used.get("target_type").asString()).isEqualTo("managed_credential");
        assertThat(used.get("target_id").asString()).isEqualTo("openai");
        assertThat(used.get("details").get("uses").asString()).isEqualTo("2");
        assertThat(used.get("details").get("credential_source").asString()).isEqualTo("managed");
        assertThat(log.body()).doesNotContain(platformId);
        assertNothingOfThePlatformCredentialIn(log.body());

        JsonNode platformSide = admin.get("/v1/admin/audit-events?action=credential.used&target_id=" + platformId)
                .json().get("items");
        assertThat(platformSide).hasSize(1);
        assertThat(platformSide.get(0).get("org_id").isNull()).isTrue();
        assertThat(platformSide.get(0).get("target_type").asString()).isEqualTo("platform_credential");
        assertThat(platformSide.get(0).get("details").get("org_id").asString()).isEqualTo(tenant.owner().orgId().toString());
    }

    /** What a tenant must never see of the platform's credential: its id, secret, last four and fingerprint. */
    private void assertNothingOfThePlatformCredentialIn(String seen) {
        assertThat(seen).doesNotContain(platformOpenAi.get("id").asString())
                .doesNotContain(PLATFORM_OPENAI_KEY)
                .doesNotContain(PLATFORM_OPENAI_KEY.substring(3, 30))
                .doesNotContain(platformOpenAi.get("fingerprint").asString())
                .doesNotContain("\"" + platformOpenAi.get("last4").asString() + "\"")
                .doesNotContain("managed openai");
    }

    private static long price(String provider, String operation, String source) {
        return queryLong("SELECT unit_price_micros FROM price_book WHERE provider = ? AND operation = ?"
                + " AND credential_source = ? AND effective_from <= now() AND (effective_to IS NULL OR effective_to > now())"
                + " ORDER BY effective_from DESC LIMIT 1", provider, operation, source);
    }

    private static void sql(String statement, UUID orgId) {
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement update = connection.prepareStatement(statement)) {
            update.setObject(1, orgId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
