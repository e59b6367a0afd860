package dev.latchkey.sessions;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;

class CrossOriginIT extends SessionsTest {

    @Test
    void givenAllowedOrigins_whenSetAndRead_thenTheyAreNormalizedAndBadOnesAreRefused() {
        Tenant tenant = openAiTenant();
        String host = uniqueHost();

        ApiClient.Response put = tenant.owner().client().put(tenant.path("/allowed-origins"), Map.of("allowed_origins",
                List.of("https://" + host.toUpperCase() + ":443", "http://localhost:5173", "https://" + host)));

        assertThat(put.status()).as("%s", put).isEqualTo(200);
        assertThat(tenant.owner().client().get(tenant.path("/allowed-origins")).json().get("allowed_origins"))
                .extracting(node -> node.asString()).containsExactly("https://" + host, "http://localhost:5173");
        for (String bad : List.of("https://" + host + "/app", "*", "https://*.example.com", "ftp://" + host, "null",
                "https://user@" + host)) {
            assertThatProblem(tenant.owner().client().put(tenant.path("/allowed-origins"),
                    Map.of("allowed_origins", List.of(bad)))).hasStatus(400).namesField("allowed_origins");
        }
        assertThatProblem(tenant.app().put(tenant.path("/allowed-origins"), Map.of("allowed_origins", List.of())))
                .hasStatus(403);
        assertThatProblem(signUp().client().get(tenant.path("/allowed-origins"))).hasStatus(404);
    }

    @Test
    void givenAnAllowedOrigin_whenABrowserPreflightsAndPostsItsOffer_thenBothCarryTheCorsHeaders() {
        Tenant tenant = openAiTenant();
        String origin = allow(tenant);
        String token = mintToken(tenant, "openai");

        ApiClient.Response preflight = browser().send("OPTIONS", "/v1/realtime/calls", null, null,
                "Origin", origin, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,content-type");
        ApiClient.Response answer = offer(browser(), token, OFFER, "application/sdp", "Origin", origin);

        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(origin);
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization").contains("Content-Type");
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();
        assertThat(preflight.allHeaders("Vary")).contains("Origin");
        assertThat(answer.status()).as("%s", answer).isEqualTo(201);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo(origin);
        assertThat(answer.header("Access-Control-Expose-Headers")).contains("Location");
        ApiClient.Response replay = offer(browser(), token, OFFER, "application/sdp", "Origin", origin);
        assertThatProblem(replay).hasStatus(401);
        assertThat(replay.header("Access-Control-Allow-Origin")).as("the browser may read the refusal").isEqualTo(origin);
    }

    @Test
    void givenAnOriginNoOrganizationAllows_whenABrowserPreflightsOrPosts_thenRefusedWithoutCorsHeadersAndTheTokenKept() {
        Tenant tenant = openAiTenant();
        allow(tenant);
        String token = mintToken(tenant, "openai");
        String stranger = "https://" + uniqueHost();
        int before = upstream.count("POST", OPENAI_CALLS);

        ApiClient.Response preflight = browser().send("OPTIONS", "/v1/realtime/calls", null, null,
                "Origin", stranger, "Access-Control-Request-Method", "POST");
        ApiClient.Response post = offer(browser(), token, OFFER, "application/sdp", "Origin", stranger);

        assertThatProblem(preflight).hasStatus(403).hasType("/problems/origin-not-allowed");
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        assertThatProblem(post).hasStatus(403).hasType("/problems/origin-not-allowed");
        assertThat(post.header("Access-Control-Allow-Origin")).isNull();
        assertThat(upstream.count("POST", OPENAI_CALLS)).isEqualTo(before);
        assertThat(offer(browser(), token).status()).as("the token was not used up").isEqualTo(201);
    }

    @Test
    void givenAnOriginOnlyAnotherOrganizationAllows_whenABrowserPostsWithThisOrganizationsToken_thenRefusedAndTheTokenKept() {
        Tenant tenant = openAiTenant();
        Tenant other = openAiTenant();
        String othersOrigin = allow(other);
        String token = mintToken(tenant, "openai");

        ApiClient.Response post = offer(browser(), token, OFFER, "application/sdp", "Origin", othersOrigin);

        assertThatProblem(post).hasStatus(403).hasType("/problems/origin-not-allowed");
        assertThat(post.json().get("detail").asString()).contains("organization's allowed origins");
        assertThat(offer(browser(), token).status()).isEqualTo(201);
    }

    @Test
    void givenAnAllowedOrigin_whenItCallsAnEndpointThatIsNotABrokerOrSessionEndpoint_thenNoCors() {
        Tenant tenant = openAiTenant();
        String origin = allow(tenant);

        ApiClient.Response preflight = browser().send("OPTIONS", tenant.path("/calls"), null, null,
                "Origin", origin, "Access-Control-Request-Method", "GET");
        ApiClient.Response read = tenant.app().get(tenant.path(""), "Origin", origin);
        ApiClient.Response mint = tenant.app().post("/v1/realtime/sessions", Map.of("provider", "openai"),
                "Origin", origin);

        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        assertThat(read.header("Access-Control-Allow-Origin")).isNull();
        assertThat(mint.status()).isEqualTo(200);
        assertThat(mint.header("Access-Control-Allow-Origin")).as("the session endpoint gets CORS").isEqualTo(origin);
    }

    private String allow(Tenant tenant) {
        String origin = "https://" + uniqueHost();
        ApiClient.Response put = tenant.owner().client().put(tenant.path("/allowed-origins"),
                Map.of("allowed_origins", List.of(origin)));
        assertThat(put.status()).as("%s", put).isEqualTo(200);
        return origin;
    }

    private static String uniqueHost() {
        return "app-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
    }
}
