package dev.latchkey.broker;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.FakeUpstream;
import tools.jackson.databind.JsonNode;

/** Azure OpenAI, Luna and Daily, each against its fake upstream's documented contract. */
class ProviderTokensIT extends BrokerTest {

    @Test
    void givenAzureCredential_whenMinting_thenTheV1PathTheApiKeyHeaderAndTheDeploymentAsModelAreUsed() {
        Tenant tenant = tenantWith(Map.of("provider", "azure-openai", "label", "azure",
                "secret", Map.of("api_key", "azure-test-key-000000000001"),
                "config", Map.of("endpoint", "https://acme.openai.azure.com", "deployment", "gpt-realtime-prod")));

        ApiClient.Response response = tenant.app().post("/v1/tokens", Map.of("provider", "azure-openai",
                "session", Map.of("instructions", "Hello")));

        assertThat(response.status()).isEqualTo(200);
        FakeUpstream.Recorded sent = upstream.last("POST", "/azure-openai/openai/v1/realtime/client_secrets");
        assertThat(sent.header("api-key")).isEqualTo("azure-test-key-000000000001");
        assertThat(sent.header("Authorization")).isNull();
        assertThat(sent.query()).isNull();
        assertThat(sent.json().get("session").get("model").asString()).isEqualTo("gpt-realtime-prod");
        assertThat(response.json().get("url").asString()).endsWith("/openai/v1/realtime/calls");
        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "azure-openai",
                "session", Map.of("model", "other-deployment")))).hasStatus(400).namesField("session.model");
    }

    @Test
    void givenLunaCredential_whenMinting_thenTheLunaKeyHeaderAndAFlatSessionAreSentAndTheTtlIsFiveMinutes() {
        Tenant tenant = tenantWith(Map.of("provider", "luna", "label", "luna",
                "secret", Map.of("api_key", "luna-test-key-000000000001")));

        ApiClient.Response response = tenant.app().post("/v1/tokens", Map.of("provider", "luna", "ttl_seconds", 3600,
                "session", Map.of("voice", "aria", "temperature", 0.7)));

        assertThat(response.status()).isEqualTo(200);
        FakeUpstream.Recorded sent = upstream.last("POST", "/luna/v1/realtime/client_secrets");
        assertThat(sent.header("X-Luna-Key")).isEqualTo("Bearer luna-test-key-000000000001");
        JsonNode session = sent.json().get("session");
        assertThat(session.get("model").asString()).isEqualTo("lunav1");
        assertThat(session.get("voice").asString()).isEqualTo("aria");
        assertThat(response.json().get("token").asString()).startsWith("eph_");
        assertThat(Instant.parse(response.json().get("expires_at").asString()))
                .isBefore(Instant.now().plusSeconds(301));
    }

    @Test
    void givenDailyCredential_whenMinting_thenTheMeetingTokenAlwaysCarriesRoomAndExpiry() {
        Tenant tenant = tenantWith(Map.of("provider", "daily", "label", "daily",
                "secret", Map.of("api_key", "daily-test-key-000000000001"), "config", Map.of("domain", "acme")));

        ApiClient.Response response = tenant.app().post("/v1/tokens", Map.of("provider", "daily", "room", "standup",
                "user_name", "Ada", "ttl_seconds", 900));

        assertThat(response.status()).isEqualTo(200);
        FakeUpstream.Recorded sent = upstream.last("POST", "/daily/meeting-tokens");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer daily-test-key-000000000001");
        JsonNode properties = sent.json().get("properties");
        assertThat(properties.get("room_name").asString()).isEqualTo("standup");
        assertThat(properties.get("user_name").asString()).isEqualTo("Ada");
        assertThat(properties.get("exp").asLong()).isBetween(Instant.now().getEpochSecond() + 890,
                Instant.now().getEpochSecond() + 910);
        assertThat(response.json().get("url").asString()).isEqualTo("https://acme.daily.co/standup");
        assertThat(Instant.parse(response.json().get("expires_at").asString()).getEpochSecond())
                .isEqualTo(properties.get("exp").asLong());
    }

    @Test
    void givenDailyDefaults_whenAClientAsksToBeOwnerOrNamesABadRoom_thenRefusedNamingTheField() {
        Tenant tenant = tenantWith(Map.of("provider", "daily", "label", "daily",
                "secret", Map.of("api_key", "daily-test-key-000000000002")));
        int before = upstream.count("POST", "/daily/meeting-tokens");

        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "daily", "room", "standup",
                "is_owner", true))).hasStatus(400).namesField("is_owner");
        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "daily", "room", "stand up!")))
                .hasStatus(400).namesField("room");
        assertThatProblem(tenant.app().post("/v1/tokens", Map.of("provider", "daily"))).hasStatus(400).namesField("room");
        assertThat(upstream.count("POST", "/daily/meeting-tokens")).isEqualTo(before);
    }

    @Test
    void givenDailyRefusal_whenMinting_thenTheProblemNamesDailysErrorTypeNotItsText() {
        Tenant tenant = tenantWith(Map.of("provider", "daily", "label", "daily",
                "secret", Map.of("api_key", "daily-test-invalid-key-0000003")));

        ApiClient.Response refused = tenant.app().post("/v1/tokens", Map.of("provider", "daily", "room", "standup"));

        assertThatProblem(refused).hasStatus(502);
        assertThat(refused.json().get("detail").asString()).isEqualTo("daily answered 401 (authentication-error)");
    }
}
