package dev.latchkey.web;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.TlsProxyCookies;

/**
 * The CSRF token is bound to the console session (kept in it, server side): a token is good
 * only with the session it was issued to, and no cookie an attacker can plant (from a sibling
 * subdomain, or over plain http) stands in for it.
 */
class CsrfIT extends IntegrationTest {

    @Test
    void givenAVisitor_whenAskingForTheCsrfToken_thenTheAnswerNamesTheHeaderAndOnlyASessionCookieIsSet() {
        ApiClient.Response answer = client().get("/v1/auth/csrf");

        assertThat(answer.json().get("header_name").asString()).isEqualTo("X-XSRF-TOKEN");
        assertThat(answer.json().get("token").asString()).isNotBlank();
        assertThat(answer.allHeaders("Set-Cookie")).contains("LATCHKEY_SESSION=").doesNotContain("XSRF-TOKEN");
    }

    @Test
    void givenAnAttackerWhoCanPlantCookies_whenForgingAWriteWithAPlantedTokenCookie_thenRefused() {
        TlsProxyCookies victimsJar = new TlsProxyCookies();
        SignedUp victim = signUp(new ApiClient("http://127.0.0.1:" + port, victimsJar));
        // The attack on a double-submit cookie: set XSRF-TOKEN for the host and send the same value.
        victimsJar.plant("XSRF-TOKEN", "attacker-chosen-token");

        ApiClient.Response forged = victim.client().withoutCsrf().post("/v1/orgs/" + victim.orgId() + "/api-keys",
                Map.of("name", "stolen", "scopes", new String[] {"admin"}), "X-XSRF-TOKEN", "attacker-chosen-token");

        assertThatProblem(forged).hasStatus(403).hasType("/problems/csrf");
        assertThat(victim.client().get("/v1/orgs/" + victim.orgId() + "/api-keys").json().get("items")).isEmpty();
    }

    @Test
    void givenATokenIssuedToAnotherSession_whenUsedWithTheVictimsSession_thenRefused() {
        SignedUp victim = signUp();
        String attackersToken = signUp().client().get("/v1/auth/csrf").json().get("token").asString();

        ApiClient.Response forged = victim.client().withoutCsrf().patch("/v1/orgs/" + victim.orgId(),
                Map.of("name", "Pwned"), "X-XSRF-TOKEN", attackersToken);

        assertThatProblem(forged).hasStatus(403).hasType("/problems/csrf");
        assertThat(victim.client().get("/v1/orgs/" + victim.orgId()).json().get("name").asString())
                .isNotEqualTo("Pwned");
    }

    @Test
    void givenATokenFetchedBeforeSigningIn_whenUsedAfterwards_thenRefusedAndAFreshOneWorks() {
        ApiClient browser = client();
        String beforeSignIn = browser.get("/v1/auth/csrf").json().get("token").asString();
        String email = randomEmail();
        ApiClient.Response signedUp = browser.withoutCsrf().post("/v1/auth/signup", Map.of("email", email,
                "password", "correct horse " + UUID.randomUUID(), "name", "N", "organization_name", "O"),
                "X-XSRF-TOKEN", beforeSignIn);
        assertThat(signedUp.status()).isEqualTo(201);
        String orgPath = "/v1/orgs/" + signedUp.json().get("organization").get("id").asString();

        assertThatProblem(browser.patch(orgPath, Map.of("name", "Renamed"), "X-XSRF-TOKEN", beforeSignIn))
                .hasStatus(403).hasType("/problems/csrf");
        String fresh = browser.get("/v1/auth/csrf").json().get("token").asString();
        assertThat(browser.patch(orgPath, Map.of("name", "Renamed"), "X-XSRF-TOKEN", fresh).status()).isEqualTo(200);
    }
}
