package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;

/**
 * Every response carries the security headers, whoever answers it: the API, the console's
 * static files, a problem from the security chain, a 413 from the body limit (which runs
 * before the chain), Actuator. Swagger UI alone may use inline styles. Answers to an app's
 * bearer-token requests carry the API policy instead of the pages' headers.
 */
class SecurityHeadersIT extends IntegrationTest {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";

    @Test
    void givenAnyKindOfResponse_whenReceived_thenItCarriesTheConsolePolicyAndTheOtherSecurityHeaders() {
        SignedUp owner = signUp();
        Map<String, ApiClient.Response> responses = Map.of(
                "JSON", owner.client().get("/v1/me"),
                "console", client().get("/"),
                "401 problem", client().get("/v1/me"),
                "404 problem", owner.client().get("/v1/orgs/" + java.util.UUID.randomUUID()),
                "413 from the body limit", client().send("POST", "/v1/auth/login", "x".repeat(70_000),
                        "application/json"),
                "actuator", client().get("/actuator/health/readiness"),
                "OpenAPI", client().get("/v3/api-docs"));

        responses.forEach((kind, response) -> {
            assertThat(response.header("Content-Security-Policy")).as(kind).isEqualTo(CSP);
            assertThat(response.header("Referrer-Policy")).as(kind).isEqualTo("same-origin");
            assertThat(response.header("Permissions-Policy")).as(kind)
                    .contains("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()");
            assertThat(response.header("X-Frame-Options")).as(kind).isEqualTo("DENY");
            assertThat(response.header("X-Content-Type-Options")).as(kind).isEqualTo("nosniff");
            assertThat(response.headers().get("Content-Security-Policy")).as(kind).hasSize(1);
        });
        assertThat(responses.get("413 from the body limit").status()).isEqualTo(413);
    }

    @Test
    void givenABearerTokenRequest_whenAnswered_thenItCarriesTheApiPolicyAndNoneOfThePagesHeaders() {
        SignedUp owner = signUp();
        ApiClient app = client().bearer(createApiKey(owner, "tokens:mint", "usage:read"));
        Map<String, ApiClient.Response> responses = Map.of(
                "JSON", app.get("/v1/providers"),
                "problem from an endpoint", app.post("/v1/tokens", Map.of("provider", "livekit")),
                "401 problem from the security chain", client().bearer("platform_" + "x".repeat(40)).get("/v1/me"));

        responses.forEach((kind, response) -> {
            assertThat(response.header("Content-Security-Policy")).as(kind)
                    .isEqualTo("default-src 'none'; frame-ancestors 'none'");
            assertThat(response.headers().get("Content-Security-Policy")).as(kind).hasSize(1);
            assertThat(response.header("X-Frame-Options")).as(kind).isEqualTo("DENY");
            assertThat(response.header("X-Content-Type-Options")).as(kind).isEqualTo("nosniff");
            assertThat(response.header("Cache-Control")).as(kind).contains("no-store");
            assertThat(response.header("Permissions-Policy")).as(kind).isNull();
            assertThat(response.header("Referrer-Policy")).as(kind).isNull();
            assertThat(response.header("X-XSS-Protection")).as(kind).isNull();
        });
        assertThat(responses.get("JSON").status()).isEqualTo(200);
        assertThat(responses.get("problem from an endpoint").status()).isBetween(400, 499);
        assertThat(responses.get("401 problem from the security chain").status()).isEqualTo(401);
    }

    @Test
    void givenTheEmbeddedDefaultOverPlainHttp_whenAnswering_thenNoHstsIsSent() {
        assertThat(client().get("/v1/auth/csrf").header("Strict-Transport-Security")).isNull();
    }

    @Test
    void givenSwaggerUi_whenServed_thenOnlyItsPagesMayUseInlineStylesAndScriptsStaySelfOnly() {
        ApiClient.Response page = client().get("/swagger-ui/index.html");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).isEqualTo(CSP.replace("style-src 'self';",
                "style-src 'self' 'unsafe-inline';")).contains("script-src 'self';");
        assertThat(client().get("/v3/api-docs").header("Content-Security-Policy")).isEqualTo(CSP);
    }
}
