package dev.latchkey.broker;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.FakeUpstream.Stub;
import dev.latchkey.support.FakeUpstream;
import tools.jackson.databind.JsonNode;

class OpenAiTokensIT extends BrokerTest {

    private static final String KEY = "sk-test-openai-broker-000000000000001";
    private static final String PATH = "/openai/v1/realtime/client_secrets";

    @Test
    void givenStoredOpenAiKey_whenAppMintsAToken_thenOpenAiGetsTheGaRequestAndTheAppGetsTheEphemeralKeyOnly() {
        Tenant tenant = tenantWith(openAiCredential(KEY));

        ApiClient.Response response = tenant.app().post("/v1/tokens", Map.of("provider", "openai", "ttl_seconds", 120,
                "session", Map.of("model", "gpt-realtime", "instructions", "Be brief",
                        "audio", Map.of("output", Map.of("voice", "marin")))));

        assertThat(response.status()).isEqualTo(200);
        FakeUpstream.Recorded sent = upstream.last("POST", PATH);
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(sent.header("Content-Type")).startsWith("application/json");
        JsonNode body = sent.json();
        assertThat(body.get("expires_after").get("anchor").asString()).isEqualTo("created_at");
        assertThat(body.get("expires_after").get("seconds").asInt()).isEqualTo(120);
        assertThat(body.get("session").get("type").asString()).isEqualTo("realtime");
        assertThat(body.get("session").get("audio").get("output").get("voice").asString()).isEqualTo("marin");
        JsonNode token = response.json();
        assertThat(token.get("provider").asString()).isEqualTo("openai");
        assertThat(token.get("token").asString()).startsWith("ek_");
        assertThat(Instant.parse(token.get("expires_at").asString())).isAfter(Instant.now());
        assertThat(token.get("url").asString()).endsWith("/v1/realtime/calls");
        assertThat(token.get("session").get("instructions").asString()).isEqualTo("Be brief");
        assertThat(response.header("Server-Timing")).matches("upstream;dur=[0-9.]+, latchkey;dur=[0-9.]+");
        assertThat(response.header("RateLimit-Remaining")).isNotNull();
        assertThat(response.body()).doesNotContain(KEY);
        assertThat(ledgerRows(tenant)).isEqualTo(1);
    }

    @Test
    void givenPolicyPinningTheModel_whenTheClientAsksForAnotherModel_thenRefusedNamingTheFieldAndNothingSent() {
        Tenant tenant = tenantWith(openAiCredential(KEY));
        assertThat(tenant.owner().client().put(tenant.path("/policies/openai"), Map.of("pinned", Map.of("model", "gpt-realtime"),
                "allowed_overrides", new String[] {"instructions", "audio.output.voice"}, "max_ttl_seconds", 300)).status()).isEqualTo(200);
        int before = upstream.count("POST", PATH);

        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "openai",
                "session", Map.of("model", "gpt-4o-realtime-preview")))).hasStatus(400).namesField("session.model");
        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "openai",
                "session", Map.of("tools", new Object[0])))).hasStatus(400).namesField("session.tools");

        ApiClient.Response allowed = tenant.app().post("/v1/tokens", Map.of("provider", "openai", "ttl_seconds", 7000,
                "session", Map.of("instructions", "Hi", "audio", Map.of("output", Map.of("voice", "cedar")))));
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(upstream.count("POST", PATH)).isEqualTo(before + 1);
        JsonNode sent = upstream.last("POST", PATH).json();
        assertThat(sent.get("session").get("model").asString()).isEqualTo("gpt-realtime");
        assertThat(sent.get("expires_after").get("seconds").asInt()).as("clamped to the policy").isEqualTo(300);
    }

    @Test
    void givenInvalidRequests_whenMinting_thenEachIsA400NamingTheFieldAndNoUpstreamCall() {
        Tenant tenant = tenantWith(openAiCredential(KEY));
        int before = upstream.count("POST", PATH);

        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "openai", "ttl_seconds", 0)))
                .hasStatus(400).namesField("ttl_seconds");
        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "openai", "ttl_seconds", "long")))
                .hasStatus(400).namesField("ttl_seconds");
        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "anthropic")))
                .hasStatus(400).namesField("provider");
        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "openai", "room", "lobby")))
                .hasStatus(400).namesField("room");
        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "openai", "colour", "blue")))
                .hasStatus(400).namesField("colour");
        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "openai", "session", "gpt")))
                .hasStatus(400).namesField("session");
        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "openai"), "X-Credential-Id", "nope"))
                .hasStatus(400).namesField("X-Credential-Id");
        assertThat(upstream.count("POST", PATH)).isEqualTo(before);
    }

    @Test
    void givenUpstreamFailures_whenMinting_thenProblemsNameTheProviderAndStatusButNeverItsBody() {
        Tenant tenant = tenantWith(openAiCredential(KEY));
        Map<String, Object> request = Map.of("provider", "openai");

        upstream.next("POST", PATH, Stub.status(401,
                "{\"error\":{\"message\":\"Incorrect API key provided: sk-tes***0001.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
        ApiClient.Response unauthorized = tenant.app().post("/v1/tokens", request);
        assertThatProblem(unauthorized).hasStatus(502).hasType("/problems/upstream-error");
        assertThat(unauthorized.json().get("detail").asString()).isEqualTo("openai answered 401 (invalid_api_key)");
        assertThat(unauthorized.body()).doesNotContain("Incorrect API key").doesNotContain("sk-tes");

        upstream.next("POST", PATH, new Stub(429, "{\"error\":{\"type\":\"rate_limit_exceeded\"}}", "application/json",
                Duration.ZERO));
        assertThatProblem(tenant.app().post("/v1/tokens", request)).hasStatus(502);

        upstream.next("POST", PATH, Stub.status(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));
        assertThatProblem(tenant.app().post("/v1/tokens", request)).hasStatus(502);

        upstream.next("POST", PATH, Stub.status(200, "this is not json"));
        assertThatProblem(tenant.app().post("/v1/tokens", request)).hasStatus(502).hasType("/problems/upstream-error");

        upstream.next("POST", PATH, Stub.status(200, "{\"unexpected\":true}"));
        assertThatProblem(tenant.app().post("/v1/tokens", request)).hasStatus(502);

        upstream.next("POST", PATH, Stub.delay(Duration.ofSeconds(4)));
        ApiClient.Response timeout = tenant.app().post("/v1/tokens", request);
        assertThatProblem(timeout).hasStatus(504).hasType("/problems/upstream-timeout");
        assertThat(timeout.json().get("detail").asString()).contains("openai");
        assertThat(ledgerRows(tenant)).as("failed mints are not billed").isZero();
        assertThat(tenant.owner().client().get(tenant.path("/quota")).json().get("monthly").get("used").asLong())
                .as("and give the allowance back").isZero();
    }

    @Test
    void givenIdempotencyKey_whenTheSameMintIsRetried_thenTheFirstTokenComesBackAndIsBilledOnce() {
        Tenant tenant = tenantWith(openAiCredential(KEY));
        int before = upstream.count("POST", PATH);
        Map<String, Object> request = Map.of("provider", "openai", "end_user", "retrying-user");

        ApiClient.Response first = tenant.app().post("/v1/tokens", request, "Idempotency-Key", "mint-1");
        ApiClient.Response retry = tenant.app().post("/v1/tokens", request, "Idempotency-Key", "mint-1");
        ApiClient.Response changed = tenant.app().post("/v1/tokens", Map.of("provider", "openai", "end_user", "other"),
                "Idempotency-Key", "mint-1");

        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().get("token").asString()).isEqualTo(first.json().get("token").asString());
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThatProblem(changed).hasStatus(422);
        assertThat(upstream.count("POST", PATH)).isEqualTo(before + 1);
        assertThat(ledgerRows(tenant)).isEqualTo(1);
    }

    @Test
    void givenKeyWithoutTheMintScopeOrNoCredential_whenMinting_thenRefused() {
        Tenant tenant = tenantWith(openAiCredential(KEY));
        ApiClient readOnly = client().bearer(createApiKey(tenant.owner(), "usage:read"));
        SignedUp empty = signUp();
        ApiClient noCredential = client().bearer(createApiKey(empty, "tokens:mint"));

        assertThatProblem(readOnly.post("/v1/tokens", Map.of("provider", "openai"))).hasStatus(403);
        assertThatProblem(noCredential.post("/v1/tokens", Map.of("provider", "openai")))
                .hasStatus(409).hasType("/problems/no-credential");
        assertThatProblem(tenant.owner().client().post("/v1/tokens", Map.of("provider", "openai"))).hasStatus(403);
    }

    @Test
    void givenTwoCredentials_whenTheHeaderNamesTheSecond_thenItsKeyIsUsed() {
        Tenant tenant = tenantWith(openAiCredential(KEY));
        String second = tenant.owner().client().post(tenant.path("/credentials"),
                openAiCredential("sk-test-openai-second-0000000000000002")).json().get("id").asString();

        assertThat(tenant.app().post("/v1/tokens", Map.of("provider", "openai"), "X-Credential-Id", second).status())
                .isEqualTo(200);
        assertThat(upstream.last("POST", PATH).header("Authorization"))
                .isEqualTo("Bearer sk-test-openai-second-0000000000000002");

        SignedUp other = signUp();
        String foreign = other.client().post("/v1/orgs/" + other.orgId() + "/credentials",
                openAiCredential("sk-test-openai-foreign-000000000000003")).json().get("id").asString();
        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "openai"), "X-Credential-Id", foreign))
                .hasStatus(404);
    }

    @Test
    void givenBringYourOwnKey_whenThePolicyAllowsIt_thenThatKeyIsUsedOnceAndOtherwiseRefused() {
        Tenant tenant = tenantWith(openAiCredential(KEY));
        String own = "sk-test-byok-0000000000000000000000004";

        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "openai"), "X-Provider-Auth", own))
                .hasStatus(403).hasType("/problems/byok-not-allowed");

        assertThat(tenant.owner().client().put(tenant.path("/policies/openai"),
                Map.of("allowed_overrides", new String[] {"*"}, "allow_byok", true)).status()).isEqualTo(200);
        ApiClient.Response response = tenant.app().post("/v1/tokens", Map.of("provider", "openai"), "X-Provider-Auth", own);

        assertThat(response.status()).isEqualTo(200);
        assertThat(upstream.last("POST", PATH).header("Authorization")).isEqualTo("Bearer " + own);
        assertThat(response.body()).doesNotContain(own);
    }

    @Test
    void givenStoredKey_whenVerified_thenTheLiveCheckIsRecordedOnTheCredential() {
        Tenant tenant = tenantWith(openAiCredential(KEY));
        Tenant invalid = tenantWith(openAiCredential("sk-test-invalid-key-00000000000000005"));

        ApiClient.Response valid = tenant.owner().client().post(tenant.path("/credentials/" + tenant.credentialId()
                + "/verify"), null);
        ApiClient.Response refused = invalid.owner().client().post(invalid.path("/credentials/" + invalid.credentialId()
                + "/verify"), null);

        assertThat(valid.json().get("valid").asBoolean()).isTrue();
        assertThat(valid.json().get("credential").get("verification").asString()).isEqualTo("valid");
        assertThat(upstream.last("GET", "/openai/v1/models").header("Authorization"))
                .isEqualTo("Bearer sk-test-invalid-key-00000000000000005");
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.json().get("valid").asBoolean()).isFalse();
        assertThat(refused.json().get("detail").asString()).isEqualTo("openai answered 401 (invalid_api_key)");
        assertThat(refused.body()).doesNotContain("sk-test-invalid");
    }
}
