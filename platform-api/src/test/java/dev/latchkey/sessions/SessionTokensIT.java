package dev.latchkey.sessions;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.FakeUpstream;
import dev.latchkey.support.MutableClock;
import dev.latchkey.support.TestInfrastructure;
import tools.jackson.databind.JsonNode;

class SessionTokensIT extends SessionsTest {

    @Test
    void givenAnAppKey_whenItMintsASessionToken_thenItGetsAOneTimePstTokenForAtMostFiveMinutesStoredOnlyAsAHash()
            throws Exception {
        Tenant tenant = openAiTenant();
        Instant before = Instant.now();

        ApiClient.Response response = tenant.app().post("/v1/realtime/sessions", Map.of("provider", "openai"));
        ApiClient.Response longer = tenant.app().post("/v1/realtime/sessions",
                Map.of("provider", "openai", "ttl_seconds", 3600));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        JsonNode body = response.json();
        String token = body.get("token").asString();
        assertThat(token).matches("pst_[0-9A-Za-z]{49}");
        assertThat(Instant.parse(body.get("expires_at").asString()))
                .isBetween(before.plusSeconds(59), Instant.now().plusSeconds(61));
        assertThat(body.get("calls_url").asString()).isEqualTo("http://127.0.0.1:" + port + "/v1/realtime/calls");
        assertThat(Instant.parse(longer.json().get("expires_at").asString())).as("clamped to five minutes")
                .isBefore(Instant.now().plusSeconds(301));
        try (Connection connection = TestInfrastructure.get().connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT t::text FROM session_tokens t")) {
            while (rows.next()) {
                assertThat(rows.getString(1)).doesNotContain(token).doesNotContain(token.substring(4, 20));
            }
        }
    }

    @Test
    void givenASessionToken_whenTheBrowserPostsItsOffer_thenOpenAiGetsTheOfferAndSessionWithTheStoredKeyAndTheBrowserTheAnswer() {
        Tenant tenant = openAiTenant();
        String token = mint(tenant.app(), Map.of("provider", "openai", "end_user", "user-42",
                "session", Map.of("instructions", "Be brief", "audio", Map.of("output", Map.of("voice", "marin")))))
                .get("token").asString();
        int before = upstream.count("POST", OPENAI_CALLS);

        ApiClient.Response answer = offer(browser(), token);

        assertThat(answer.status()).as("%s", answer).isEqualTo(201);
        assertThat(answer.contentType()).startsWith("application/sdp");
        assertThat(answer.body()).isEqualTo(FakeUpstream.answerSdp());
        assertThat(answer.header("Location")).matches("/v1/realtime/calls/[0-9a-f-]{36}");
        assertThat(answer.header("Server-Timing")).matches("upstream;dur=[0-9.]+, latchkey;dur=[0-9.]+");
        assertThat(upstream.count("POST", OPENAI_CALLS)).isEqualTo(before + 1);
        FakeUpstream.Recorded sent = upstream.last("POST", OPENAI_CALLS);
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + OPENAI_KEY);
        assertThat(sent.header("Content-Type")).startsWith("multipart/form-data; boundary=");
        Map<String, FakeUpstream.Part> parts = sent.parts();
        assertThat(parts.get("sdp").contentType()).isEqualTo("application/sdp");
        assertThat(parts.get("sdp").content()).isEqualTo(OFFER);
        assertThat(parts.get("session").contentType()).isEqualTo("application/json");
        JsonNode session = tools.jackson.databind.json.JsonMapper.builder().build().readTree(parts.get("session").content());
        assertThat(session.get("type").asString()).isEqualTo("realtime");
        assertThat(session.get("instructions").asString()).isEqualTo("Be brief");
        assertThat(session.get("audio").get("output").get("voice").asString()).isEqualTo("marin");
        assertThat(sent.body()).doesNotContain(token);
        JsonNode call = tenant.app().get("/v1/realtime/calls/" + callId(answer)).json();
        assertThat(call.get("provider").asString()).isEqualTo("openai");
        assertThat(call.get("provider_call_id").asString()).startsWith("rtc_");
        assertThat(call.get("end_user").asString()).isEqualTo("user-42");
        assertThat(call.get("api_key_id").asString()).isEqualTo(tenant.key().id().toString());
        assertThat(call.get("ended_at").isNull()).isTrue();
        assertThat(answer.header("RateLimit-Limit")).isNotNull();
        JsonNode billed = tenant.owner().client().get(tenant.path("/ledger")).json().get("items");
        assertThat(billed).hasSize(1);
        assertThat(billed.get(0).get("operation").asString()).isEqualTo("call.proxy");
        assertThat(billed.get(0).get("provider").asString()).isEqualTo("openai");
        assertThat(billed.get(0).get("quantity").asLong()).isEqualTo(1);
        assertThat(billed.get(0).get("end_user").asString()).isEqualTo("user-42");
        assertThat(billed.get(0).get("api_key_id").asString()).isEqualTo(tenant.key().id().toString());
        assertThat(billed.get(0).get("credential_source").asString()).isEqualTo("own");
    }

    @Test
    void givenAnExhaustedAllowance_whenTheBrowserPostsItsOffer_thenA429AndTheTokenIsKeptForLater() {
        Tenant tenant = openAiTenant();
        ApiClient admin = platformAdmin();
        setQuota(admin, tenant.owner().orgId(), allowance(0));
        String token = mintToken(tenant, "openai");
        int before = upstream.count("POST", OPENAI_CALLS);

        ApiClient.Response refused = offer(browser(), token);

        assertThatProblem(refused).hasStatus(429).hasType("/problems/quota-exceeded");
        assertThat(upstream.count("POST", OPENAI_CALLS)).isEqualTo(before);
        setQuota(admin, tenant.owner().orgId(), allowance(10));
        assertThat(offer(browser(), token).status()).as("the token was not used up").isEqualTo(201);
        assertThat(ledgerRows(tenant.owner().orgId())).isEqualTo(1);
    }

    @Test
    void givenAUsedToken_whenItIsUsedAgain_thenA401AndNoUpstreamCall() {
        Tenant tenant = openAiTenant();
        String token = mintToken(tenant, "openai");
        assertThat(offer(browser(), token).status()).isEqualTo(201);
        int before = upstream.count("POST", OPENAI_CALLS);

        ApiClient.Response again = offer(browser(), token);

        assertThatProblem(again).hasStatus(401).hasType("/problems/invalid-session-token");
        assertThat(again.json().get("detail").asString()).contains("already used");
        assertThat(upstream.count("POST", OPENAI_CALLS)).isEqualTo(before);
    }

    @Test
    void givenAnExpiredToken_whenTheBrowserUsesIt_thenA401AndNoUpstreamCall() {
        Tenant tenant = openAiTenant();
        JsonNode minted = mint(tenant.app(), Map.of("provider", "openai", "ttl_seconds", 1));
        MutableClock.get().advance(Duration.ofSeconds(2));
        int before = upstream.count("POST", OPENAI_CALLS);

        assertThatProblem(offer(browser(), minted.get("token").asString())).hasStatus(401)
                .hasType("/problems/invalid-session-token");
        assertThat(upstream.count("POST", OPENAI_CALLS)).isEqualTo(before);
    }

    @Test
    void givenATokenOfASuspendedOrganization_whenTheBrowserUsesIt_thenA401AndNoUpstreamCall() {
        Tenant tenant = openAiTenant();
        String token = mintToken(tenant, "openai");
        sql("UPDATE organizations SET status = 'suspended' WHERE id = ?", tenant.owner().orgId());
        int before = upstream.count("POST", OPENAI_CALLS);

        ApiClient.Response refused = offer(browser(), token);

        assertThatProblem(refused).hasStatus(401).hasType("/problems/invalid-session-token");
        assertThat(refused.json().get("detail").asString()).contains("suspended");
        assertThat(upstream.count("POST", OPENAI_CALLS)).isEqualTo(before);
    }

    @Test
    void givenATokenOfARevokedKey_whenTheBrowserUsesIt_thenA401AndNoUpstreamCall() {
        Tenant tenant = openAiTenant();
        String token = mintToken(tenant, "openai");
        assertThat(tenant.owner().client().delete(tenant.path("/api-keys/" + tenant.key().id())).status()).isEqualTo(204);
        int before = upstream.count("POST", OPENAI_CALLS);

        ApiClient.Response refused = offer(browser(), token);

        assertThatProblem(refused).hasStatus(401).hasType("/problems/invalid-session-token");
        assertThat(refused.json().get("detail").asString()).contains("revoked");
        assertThat(upstream.count("POST", OPENAI_CALLS)).isEqualTo(before);
    }

    @Test
    void givenMalformedOrUnknownTokens_whenUsed_thenA401AndNoUpstreamCall() {
        Tenant tenant = openAiTenant();
        String token = mintToken(tenant, "openai");
        String mistyped = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        int before = upstream.count("POST", OPENAI_CALLS);

        assertThatProblem(offer(browser(), mistyped)).hasStatus(401).hasType("/problems/invalid-session-token");
        assertThatProblem(offer(browser(), "pst_short")).hasStatus(401).hasType("/problems/invalid-session-token");
        assertThatProblem(client().bearer(createApiKey(tenant.owner(), "sessions:mint"))
                .send("POST", "/v1/realtime/calls", OFFER, "application/sdp")).hasStatus(401)
                .hasType("/problems/unauthenticated");
        assertThat(upstream.count("POST", OPENAI_CALLS)).isEqualTo(before);
        assertThat(offer(browser(), token).status()).as("the real token is untouched").isEqualTo(201);
    }

    @Test
    void givenBodiesThatAreNotSdpOffers_whenPosted_thenEachIsA4xxAndTheTokenStillWorks() {
        Tenant tenant = openAiTenant();
        String token = mintToken(tenant, "openai");
        int before = upstream.count("POST", OPENAI_CALLS);
        List<ApiClient.Response> refused = new ArrayList<>();

        refused.add(offer(browser(), token, "{\"sdp\":\"v=0\"}", "application/json"));
        refused.add(offer(browser(), token, OFFER, "text/plain"));
        refused.add(offer(browser(), token, OFFER, null));
        refused.add(offer(browser(), token, "", "application/sdp"));
        refused.add(offer(browser(), token, "hello, provider", "application/sdp", "Accept", "application/sdp"));
        refused.add(offer(browser(), token, "{\"type\":\"offer\",\"sdp\":\"v=0\"}", "application/sdp"));
        refused.add(offer(browser(), token, "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", "application/sdp"));
        refused.add(offer(browser(), token, OFFER + "a=" + "x".repeat(70 * 1024) + "\r\n", "application/sdp"));
        refused.add(browser().sendChunked("POST", "/v1/realtime/calls", OFFER + "a=" + "x".repeat(70 * 1024) + "\r\n",
                "application/sdp", "Authorization", "Bearer " + token));

        assertThat(refused).extracting(ApiClient.Response::status)
                .containsExactly(415, 415, 415, 400, 400, 400, 400, 413, 413);
        refused.forEach(response -> assertThatProblem(response).hasStatus(response.status()));
        assertThatProblem(refused.get(4)).hasType("/problems/invalid-sdp");
        assertThat(upstream.count("POST", OPENAI_CALLS)).isEqualTo(before);
        assertThat(offer(browser(), token).status()).as("the token was not used up").isEqualTo(201);
    }

    @Test
    void givenASessionToken_whenUsedOnAnyOtherEndpoint_thenRefusedAndNotUsedUp() {
        Tenant tenant = openAiTenant();
        String token = mintToken(tenant, "openai");
        ApiClient holder = client().bearer(token);

        assertThatProblem(holder.post("/v1/tokens", Map.of("provider", "openai"))).hasStatus(403);
        assertThatProblem(holder.post("/v1/realtime/sessions", Map.of("provider", "openai"))).hasStatus(403);
        assertThatProblem(holder.get(tenant.path(""))).hasStatus(403);
        assertThatProblem(holder.get(tenant.path("/calls"))).hasStatus(403);

        assertThat(offer(browser(), token).status()).isEqualTo(201);
    }

    @Test
    void givenAPolicy_whenMinting_thenTheSessionIsPolicedAtMintingAndPinnedIntoTheCall() {
        Tenant tenant = openAiTenant();
        assertThat(tenant.owner().client().put(tenant.path("/policies/openai"), Map.of(
                "pinned", Map.of("model", "gpt-realtime", "instructions", "You are Acme's helper"),
                "allowed_overrides", new String[] {"audio.output.voice"})).status()).isEqualTo(200);

        assertThatProblem(tenant.app().post("/v1/realtime/sessions", Map.of("provider", "openai",
                "session", Map.of("tools", new Object[0])))).hasStatus(400).namesField("session.tools");
        assertThatProblem(tenant.app().post("/v1/realtime/sessions", Map.of("provider", "openai",
                "session", Map.of("model", "gpt-4o-realtime-preview")))).hasStatus(400).namesField("session.model");
        assertThatProblem(tenant.app().post("/v1/realtime/sessions", Map.of("provider", "livekit")))
                .hasStatus(400).namesField("provider");
        assertThatProblem(tenant.app().post("/v1/realtime/sessions", Map.of("provider", "openai", "colour", "blue")))
                .hasStatus(400).namesField("colour");
        assertThatProblem(tenant.app().post("/v1/realtime/sessions", Map.of("provider", "openai", "ttl_seconds", 0)))
                .hasStatus(400).namesField("ttl_seconds");
        String token = mint(tenant.app(), Map.of("provider", "openai",
                "session", Map.of("audio", Map.of("output", Map.of("voice", "cedar"))))).get("token").asString();

        assertThat(offer(browser(), token).status()).isEqualTo(201);
        JsonNode session = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(upstream.last("POST", OPENAI_CALLS).parts().get("session").content());
        assertThat(session.get("model").asString()).isEqualTo("gpt-realtime");
        assertThat(session.get("instructions").asString()).isEqualTo("You are Acme's helper");
        assertThat(session.get("audio").get("output").get("voice").asString()).isEqualTo("cedar");
    }

    @Test
    void givenKeysWithoutTheScopeOrOrgsWithoutACredential_whenMinting_thenRefused() {
        Tenant tenant = openAiTenant();
        SignedUp empty = signUp();

        assertThatProblem(client().bearer(createApiKey(tenant.owner(), "tokens:mint"))
                .post("/v1/realtime/sessions", Map.of("provider", "openai"))).hasStatus(403);
        assertThatProblem(tenant.owner().client().post("/v1/realtime/sessions", Map.of("provider", "openai")))
                .hasStatus(403);
        assertThatProblem(client().bearer(createApiKey(empty, "sessions:mint"))
                .post("/v1/realtime/sessions", Map.of("provider", "openai"))).hasStatus(409).hasType("/problems/no-credential");
        assertThatProblem(tenant.app().post("/v1/realtime/sessions", Map.of("provider", "openai"),
                "X-Provider-Auth", "sk-my-own-key-0000000000000000")).hasStatus(400).namesField("X-Provider-Auth");
    }

    @Test
    void givenAnAzureCredential_whenTheBrowserPostsItsOffer_thenLatchkeyMintsAnEphemeralKeyAndPostsTheRawOfferWithIt() {
        Tenant tenant = tenantWith(Map.of("provider", "azure-openai", "label", "azure",
                "secret", Map.of("api_key", "azure-test-key-sessions-0001"),
                "config", Map.of("endpoint", "https://acme.openai.azure.com", "deployment", "gpt-realtime-prod")));
        String token = mintToken(tenant, "azure-openai");

        ApiClient.Response answer = offer(browser(), token);

        assertThat(answer.status()).as("%s", answer).isEqualTo(201);
        assertThat(answer.body()).isEqualTo(FakeUpstream.answerSdp());
        FakeUpstream.Recorded minted = upstream.last("POST", "/azure-openai/openai/v1/realtime/client_secrets");
        assertThat(minted.header("api-key")).isEqualTo("azure-test-key-sessions-0001");
        assertThat(minted.json().get("session").get("model").asString()).isEqualTo("gpt-realtime-prod");
        FakeUpstream.Recorded call = upstream.last("POST", "/azure-openai/openai/v1/realtime/calls");
        assertThat(call.header("Authorization")).startsWith("Bearer ek_");
        assertThat(call.header("Content-Type")).startsWith("application/sdp");
        assertThat(call.body()).isEqualTo(OFFER);
        assertThat(answer.body()).doesNotContain("ek_");
        assertThatProblem(tenant.app().post("/v1/realtime/sessions", Map.of("provider", "azure-openai",
                "session", Map.of("model", "gpt-4o")))).hasStatus(400).namesField("session.model");
    }

    @Test
    void givenALunaCredential_whenTheBrowserPostsItsOffer_thenLunaGetsMultipartWithTheMainKey_andCapsAreRefused() {
        Tenant tenant = tenantWith(Map.of("provider", "luna", "label", "luna",
                "secret", Map.of("api_key", "luna-test-key-sessions-0001")));
        String token = mintToken(tenant, "luna");

        ApiClient.Response answer = offer(browser(), token);

        assertThat(answer.status()).as("%s", answer).isEqualTo(201);
        assertThat(answer.body()).isEqualTo(FakeUpstream.answerSdp());
        FakeUpstream.Recorded sent = upstream.last("POST", "/luna/v1/realtime/calls");
        assertThat(sent.header("X-Luna-Key")).isEqualTo("Bearer luna-test-key-sessions-0001");
        assertThat(sent.parts().get("sdp").content()).isEqualTo(OFFER);
        assertThat(sent.parts().get("session").content()).contains("\"model\":\"lunav1\"");
        assertThatProblem(tenant.app().post("/v1/realtime/calls/" + callId(answer) + "/hangup", Map.of()))
                .hasStatus(409).hasType("/problems/hangup-unsupported");
        assertThat(tenant.owner().client().put(tenant.path("/policies/luna"), Map.of("max_session_seconds", 600))
                .status()).isEqualTo(200);
        assertThatProblem(tenant.app().post("/v1/realtime/sessions", Map.of("provider", "luna")))
                .hasStatus(409).hasType("/problems/hangup-unsupported");
    }

    @Test
    void givenTheProviderFails_whenTheBrowserPostsItsOffer_thenA502NamingItAndNoCallIsRecorded() {
        Tenant tenant = openAiTenant();
        String token = mintToken(tenant, "openai");
        upstream.next("POST", OPENAI_CALLS, FakeUpstream.Stub.status(500,
                "{\"error\":{\"message\":\"boom " + OPENAI_KEY + "\",\"type\":\"server_error\"}}"));

        ApiClient.Response failed = offer(browser(), token);

        assertThatProblem(failed).hasStatus(502).hasType("/problems/upstream-error");
        assertThat(failed.json().get("detail").asString()).isEqualTo("openai answered 500 (server_error)");
        assertThat(failed.body()).doesNotContain(OPENAI_KEY);
        assertThat(tenant.owner().client().get(tenant.path("/calls")).json().get("items")).isEmpty();
        assertThat(ledgerRows(tenant.owner().orgId())).as("a provider failure is not billed").isZero();
        assertThatProblem(offer(browser(), token)).as("the token was used up").hasStatus(401);
    }
}
