package dev.latchkey.web;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;

/**
 * Tomcat parses form and multipart bodies itself, before any filter of Latchkey reads them: so
 * multipart parsing is off (nothing takes uploads) and form bodies stop at the body-size limit.
 * The CSRF token, which a form field may carry, shows what was parsed.
 */
class FormBodiesIT extends IntegrationTest {

    @Test
    void givenASmallFormBodyWithTheCsrfField_whenPosted_thenItIsParsedAndTheTokenAccepted() {
        SignedUp owner = signUp();
        String token = owner.client().get("/v1/auth/csrf").json().get("token").asString();

        ApiClient.Response response = owner.client().withoutCsrf().send("POST", "/v1/orgs",
                "_csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8), "application/x-www-form-urlencoded");

        assertThatProblem(response).hasStatus(415); // past CSRF: the endpoint takes JSON only
    }

    @Test
    void givenAMultipartBodyWithTheCsrfField_whenPosted_thenItIsNotParsed() {
        SignedUp owner = signUp();
        String token = owner.client().get("/v1/auth/csrf").json().get("token").asString();
        String body = "--b\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + token + "\r\n--b--\r\n";

        ApiClient.Response response = owner.client().withoutCsrf().send("POST", "/v1/orgs", body,
                "multipart/form-data; boundary=b");

        assertThatProblem(response).hasStatus(403).hasType("/problems/csrf");
    }

    @Test
    void givenAFormBodyPastTheLimit_whenPostedChunkedOrSized_thenA413ProblemAndItsFieldsAreNeverUsed() {
        SignedUp owner = signUp();
        String token = owner.client().get("/v1/auth/csrf").json().get("token").asString();
        String body = "padding=" + "a".repeat(70 * 1024) + "&_csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8);

        ApiClient.Response chunked = owner.client().withoutCsrf().sendChunked("POST", "/v1/orgs", body,
                "application/x-www-form-urlencoded");
        ApiClient.Response sized = owner.client().withoutCsrf().send("POST", "/v1/orgs", body,
                "application/x-www-form-urlencoded");

        assertThatProblem(chunked).hasStatus(413).hasType("/problems/payload-too-large");
        assertThatProblem(sized).hasStatus(413).hasType("/problems/payload-too-large");
    }
}
