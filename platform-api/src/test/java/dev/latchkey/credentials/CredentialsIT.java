package dev.latchkey.credentials;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

class CredentialsIT extends IntegrationTest {

    private static final String OPENAI_KEY = "sk-test-credentials-it-0123456789abcdefWXYZ";

    @Test
    void givenOpenAiKey_whenStored_thenResponsesShowLast4AndFingerprintButNeverTheSecret() {
        SignedUp owner = signUp();

        ApiClient.Response created = owner.client().post(credentials(owner), openAi("primary", OPENAI_KEY));

        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.get("provider").asString()).isEqualTo("openai");
        assertThat(body.get("last4").asString()).isEqualTo("WXYZ");
        assertThat(body.get("fingerprint").asString()).startsWith("fp_");
        assertThat(body.get("is_default").asBoolean()).isTrue();
        String id = body.get("id").asString();
        List<ApiClient.Response> reads = List.of(created, owner.client().get(credentials(owner)),
                owner.client().get(credentials(owner) + "/" + id));
        assertThat(reads).allSatisfy(read -> assertThat(read.body()).doesNotContain(OPENAI_KEY)
                .doesNotContain(OPENAI_KEY.substring(3, 20)));
    }

    @Test
    void givenTwoCredentialsOfAProvider_whenTheSecondIsMadeDefault_thenOnlyItIsDefault() {
        SignedUp owner = signUp();
        String first = owner.client().post(credentials(owner), openAi("first", OPENAI_KEY)).json().get("id").asString();
        JsonNode second = owner.client().post(credentials(owner), openAi("second", OPENAI_KEY + "2")).json();
        assertThat(second.get("is_default").asBoolean()).isFalse();

        ApiClient.Response made = owner.client().post(credentials(owner) + "/" + second.get("id").asString()
                + "/default", null);

        assertThat(made.status()).isEqualTo(200);
        assertThat(made.json().get("is_default").asBoolean()).isTrue();
        assertThat(owner.client().get(credentials(owner) + "/" + first).json().get("is_default").asBoolean()).isFalse();
    }

    @Test
    void givenTwoCredentialsOfAProvider_whenTheDefaultMovesBackAndForth_thenEachMoveLeavesExactlyOneDefault() {
        SignedUp owner = signUp();
        String first = owner.client().post(credentials(owner), openAi("first", OPENAI_KEY)).json().get("id").asString();
        String second = owner.client().post(credentials(owner), openAi("second", OPENAI_KEY + "2")).json()
                .get("id").asString();

        for (String next : List.of(second, first, second, first)) {
            ApiClient.Response made = owner.client().post(credentials(owner) + "/" + next + "/default", null);

            assertThat(made.status()).as("%s", made).isEqualTo(200);
            List<String> defaults = owner.client().get(credentials(owner)).json().get("items").valueStream()
                    .filter(credential -> credential.get("is_default").asBoolean())
                    .map(credential -> credential.get("id").asString()).toList();
            assertThat(defaults).containsExactly(next);
        }
    }

    @Test
    void givenDefaultCredential_whenDeleted_thenTheRemainingOneBecomesDefault() {
        SignedUp owner = signUp();
        String first = owner.client().post(credentials(owner), openAi("first", OPENAI_KEY)).json().get("id").asString();
        String second = owner.client().post(credentials(owner), openAi("second", OPENAI_KEY + "2")).json()
                .get("id").asString();

        assertThat(owner.client().delete(credentials(owner) + "/" + first).status()).isEqualTo(204);

        assertThat(owner.client().get(credentials(owner) + "/" + first).status()).isEqualTo(404);
        assertThat(owner.client().get(credentials(owner) + "/" + second).json().get("is_default").asBoolean()).isTrue();
    }

    @Test
    void givenStoredCredential_whenItsSecretIsRotated_thenLast4FingerprintAndRotatedAtChange() {
        SignedUp owner = signUp();
        JsonNode created = owner.client().post(credentials(owner), openAi("primary", OPENAI_KEY)).json();

        ApiClient.Response rotated = owner.client().put(credentials(owner) + "/" + created.get("id").asString()
                + "/secret", Map.of("secret", Map.of("api_key", "sk-test-rotated-secret-value-ABCD")));

        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.json().get("last4").asString()).isEqualTo("ABCD");
        assertThat(rotated.json().get("fingerprint").asString()).isNotEqualTo(created.get("fingerprint").asString());
        assertThat(rotated.json().get("rotated_at").isNull()).isFalse();
        assertThat(rotated.body()).doesNotContain("sk-test-rotated-secret-value");
    }

    @Test
    void givenAzureEndpointsThatPointInsideOrOutsideTheAllowList_whenStored_thenRefusedNamingTheFieldAndNothingStored() {
        SignedUp owner = signUp();
        for (String endpoint : List.of("http://127.0.0.1", "https://127.0.0.1", "https://10.0.0.1",
                "https://[::1]", "https://evil.example.com", "https://myres.openai.azure.com.evil.example.com",
                "https://user@myres.openai.azure.com", "https://myres.openai.azure.com:8443", "not a url")) {
            ApiClient.Response refused = owner.client().post(credentials(owner), Map.of("provider", "azure-openai",
                    "label", "azure", "secret", Map.of("api_key", "azure-key-0123456789"),
                    "config", Map.of("endpoint", endpoint, "deployment", "gpt-realtime")));

            assertThatProblem(refused).hasStatus(400).hasType("/problems/validation").namesField("config.endpoint");
        }
        assertThat(owner.client().get(credentials(owner)).json().get("items")).isEmpty();
    }

    @Test
    void givenAzureEndpointOnTheAllowList_whenStored_thenItIsKeptNormalized() {
        SignedUp owner = signUp();

        ApiClient.Response created = owner.client().post(credentials(owner), Map.of("provider", "azure-openai",
                "label", "azure", "secret", Map.of("api_key", "azure-key-0123456789"),
                "config", Map.of("endpoint", "https://MyRes.openai.azure.com/", "deployment", "gpt-realtime")));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("config").get("endpoint").asString()).isEqualTo("https://myres.openai.azure.com");
    }

    @Test
    void givenBadCredentialBodies_whenStored_thenEachIsRefusedNamingTheFieldAndNothingIsStored() {
        SignedUp owner = signUp();
        Map<String, Map<String, Object>> cases = Map.of(
                "provider", Map.of("provider", "anthropic", "label", "x", "secret", Map.of("api_key", OPENAI_KEY)),
                "secret.api_key", Map.of("provider", "openai", "label", "x", "secret", Map.of()),
                "secret.api_key ", Map.of("provider", "openai", "label", "x", "secret", Map.of("api_key", 12345)),
                "secret.api_key  ", Map.of("provider", "openai", "label", "x", "secret",
                        Map.of("api_key", "sk-" + "x".repeat(5000))),
                "secret.token", Map.of("provider", "openai", "label", "x", "secret",
                        Map.of("api_key", OPENAI_KEY, "token", "abc")),
                "config.url", Map.of("provider", "livekit", "label", "x", "secret", Map.of("api_secret", OPENAI_KEY),
                        "config", Map.of("api_key", "APIabc")),
                "secret", Map.of("provider", "openai", "label", "x"),
                "label", Map.of("provider", "openai", "secret", Map.of("api_key", OPENAI_KEY)));

        cases.forEach((field, body) -> assertThatProblem(owner.client().post(credentials(owner), body))
                .hasStatus(400).namesField(field.trim()));
        assertThat(owner.client().get(credentials(owner)).json().get("items")).isEmpty();
    }

    @Test
    void givenViewer_whenStoringACredential_thenForbiddenButListingWorks() {
        SignedUp owner = signUp();
        SignedUp viewer = signUpMemberOf(owner, "viewer");

        assertThatProblem(viewer.client().post(credentials(owner), openAi("x", OPENAI_KEY))).hasStatus(403);
        assertThat(viewer.client().get(credentials(owner)).status()).isEqualTo(200);
    }

    @Test
    void givenAnotherOrganization_whenItsUserOrKeyTouchesTheseCredentials_thenEveryEndpointAnswers404() {
        SignedUp owner = signUp();
        String id = owner.client().post(credentials(owner), openAi("primary", OPENAI_KEY)).json().get("id").asString();
        SignedUp stranger = signUp();
        ApiClient strangerKey = client().bearer(createApiKey(stranger, "admin"));

        for (ApiClient caller : List.of(stranger.client(), strangerKey)) {
            String base = credentials(owner);
            List<ApiClient.Response> responses = List.of(caller.get(base), caller.get(base + "/" + id),
                    caller.post(base, openAi("mine now", OPENAI_KEY)), caller.delete(base + "/" + id),
                    caller.put(base + "/" + id + "/secret", Map.of("secret", Map.of("api_key", OPENAI_KEY + "9"))),
                    caller.post(base + "/" + id + "/default", null));
            assertThat(responses).allSatisfy(response -> assertThatProblem(response).hasStatus(404));
        }
        JsonNode unchanged = owner.client().get(credentials(owner) + "/" + id).json();
        assertThat(unchanged.get("last4").asString()).isEqualTo("WXYZ");
        assertThat(unchanged.get("label").asString()).isEqualTo("primary");
    }

    static Map<String, Object> openAi(String label, String apiKey) {
        return Map.of("provider", "openai", "label", label, "secret", Map.of("api_key", apiKey));
    }

    private static String credentials(SignedUp owner) {
        return "/v1/orgs/" + owner.orgId() + "/credentials";
    }
}
