package dev.latchkey.credentials;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/** GET /v1/providers: the fields each provider's credential declares, for clients that build forms. */
class ProvidersIT extends IntegrationTest {

    @Test
    void givenSignedInUser_whenListingProviders_thenEveryProviderNamesItsSecretAndConfigFields() {
        SignedUp user = signUp();

        ApiClient.Response response = user.client().get("/v1/providers");

        assertThat(response.status()).isEqualTo(200);
        JsonNode items = response.json().get("items");
        assertThat(items.valueStream().map(p -> p.get("id").asString()))
                .containsExactlyInAnyOrder("openai", "azure-openai", "luna", "livekit", "daily");
        JsonNode liveKit = provider(items, "livekit");
        assertThat(liveKit.get("name").asString()).isEqualTo("LiveKit");
        assertThat(fieldNames(liveKit.get("secret"))).containsExactly("api_secret");
        assertThat(liveKit.get("secret").get(0).get("kind").asString()).isEqualTo("secret");
        assertThat(fieldNames(liveKit.get("config"))).containsExactly("api_key", "url");
        assertThat(liveKit.get("config").get(1).get("required").asBoolean()).isTrue();
        assertThat(liveKit.get("config").get(1).get("kind").asString()).isEqualTo("realtime_url");
        assertThat(liveKit.get("allowed_hosts").valueStream().map(JsonNode::asString)).contains("*.livekit.cloud");
        assertThat(provider(items, "openai").get("config").get(0).get("required").asBoolean()).isFalse();
    }

    @Test
    void givenTheDeclaredFields_whenACredentialIsStoredWithExactlyThem_thenItIsAccepted() {
        SignedUp owner = signUp();
        JsonNode daily = provider(owner.client().get("/v1/providers").json().get("items"), "daily");
        Map<String, Object> secret = Map.of(daily.get("secret").get(0).get("name").asString(), "daily-key-0123456789");

        ApiClient.Response created = owner.client().post("/v1/orgs/" + owner.orgId() + "/credentials",
                Map.of("provider", "daily", "label", "from the schema", "secret", secret));

        assertThat(created.status()).isEqualTo(201);
    }

    @Test
    void givenAnApiKey_whenListingProviders_thenItMayReadThemToo() {
        SignedUp owner = signUp();
        String key = createApiKey(owner, "usage:read");

        ApiClient.Response response = client().bearer(key).get("/v1/providers");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("items").size()).isEqualTo(5);
    }

    @Test
    void givenNoSession_whenListingProviders_thenUnauthenticated() {
        assertThatProblem(client().get("/v1/providers")).hasStatus(401).hasType("/problems/unauthenticated");
    }

    private static JsonNode provider(JsonNode items, String id) {
        return items.valueStream().filter(p -> p.get("id").asString().equals(id)).findFirst().orElseThrow();
    }

    private static List<String> fieldNames(JsonNode fields) {
        return fields.valueStream().map(f -> f.get("name").asString()).toList();
    }
}
