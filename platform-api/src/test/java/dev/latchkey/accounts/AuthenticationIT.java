package dev.latchkey.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

class AuthenticationIT extends IntegrationTest {

    @Test
    void givenNewVisitor_whenSigningUp_thenTheyAreSignedInAsOwnerOfTheirNewOrganization() {
        SignedUp user = signUp();

        ApiClient.Response me = user.client().get("/v1/me");

        assertThat(me.status()).isEqualTo(200);
        JsonNode body = me.json();
        assertThat(body.get("user").get("email").asString()).isEqualTo(user.email());
        assertThat(body.get("organizations")).hasSize(1);
        assertThat(body.get("organizations").get(0).get("id").asString()).isEqualTo(user.orgId().toString());
        assertThat(body.get("organizations").get(0).get("role").asString()).isEqualTo("owner");
        assertThat(me.body()).doesNotContain(user.password()).doesNotContain("password_hash");
    }

    @Test
    void givenSignedUpUser_whenLoggingInFromAnotherClient_thenThatClientIsSignedIn() {
        SignedUp user = signUp();
        ApiClient other = client();

        ApiClient.Response login = other.post("/v1/auth/login",
                Map.of("email", user.email().toUpperCase(), "password", user.password()));

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().get("organizations").get(0).get("role").asString()).isEqualTo("owner");
        assertThat(login.allHeaders("Set-Cookie")).contains("LATCHKEY_SESSION").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Lax");
        assertThat(other.get("/v1/me").status()).isEqualTo(200);
    }

    @Test
    void givenWrongPassword_whenLoggingIn_thenUnauthorizedProblemThatDoesNotTellWhetherTheEmailExists() {
        SignedUp user = signUp();

        ApiClient.Response wrongPassword = client().post("/v1/auth/login",
                Map.of("email", user.email(), "password", "not the password at all"));
        ApiClient.Response unknownEmail = client().post("/v1/auth/login",
                Map.of("email", "nobody-" + user.email(), "password", "not the password at all"));

        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(wrongPassword.contentType()).startsWith("application/problem+json");
        assertThat(wrongPassword.json().get("type").asString()).isEqualTo("/problems/invalid-credentials");
        assertThat(unknownEmail.status()).isEqualTo(401);
        assertThat(unknownEmail.json().get("detail").asString())
                .isEqualTo(wrongPassword.json().get("detail").asString());
    }

    @Test
    void givenSignedInUser_whenLoggingOut_thenTheSessionNoLongerWorks() {
        SignedUp user = signUp();

        assertThat(user.client().post("/v1/auth/logout", null).status()).isEqualTo(204);

        ApiClient.Response me = user.client().get("/v1/me");
        assertThat(me.status()).isEqualTo(401);
        assertThat(me.json().get("type").asString()).isEqualTo("/problems/unauthenticated");
    }

    @Test
    void givenSignedInUser_whenWritingWithTheCookieButWithoutCsrfToken_thenForbiddenAndNothingChanges() {
        SignedUp user = signUp();
        ApiClient noCsrf = user.client().withoutCsrf();

        ApiClient.Response response = noCsrf.post("/v1/orgs/" + user.orgId() + "/api-keys",
                Map.of("name", "sneaky", "scopes", new String[] {"tokens:mint"}));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().get("type").asString()).isEqualTo("/problems/csrf");
        assertThat(noCsrf.get("/v1/orgs/" + user.orgId() + "/api-keys").json().get("items")).isEmpty();
    }

    @Test
    void givenExistingEmailInAnyCase_whenSigningUp_thenConflict() {
        SignedUp user = signUp();

        ApiClient.Response again = client().post("/v1/auth/signup", Map.of("email", user.email().toUpperCase(),
                "password", "another long password", "name", "Someone", "organization_name", "Other"));

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("type").asString()).isEqualTo("/problems/email-taken");
    }

    @Test
    void givenRepeatedWrongPasswords_whenTheAccountLimitIsReached_thenLoginIsThrottledWithRetryAfter() {
        SignedUp user = signUp();
        ApiClient attacker = client();
        ApiClient.Response last = null;
        for (int i = 0; i < 11; i++) {
            last = attacker.post("/v1/auth/login", Map.of("email", user.email(), "password", "guess number " + i));
        }

        assertThat(last.status()).isEqualTo(429);
        assertThat(last.json().get("type").asString()).isEqualTo("/problems/rate-limited");
        assertThat(Integer.parseInt(last.header("Retry-After"))).isPositive();
        // The real password is refused too while the account is throttled.
        assertThat(attacker.post("/v1/auth/login", Map.of("email", user.email(), "password", user.password()))
                .status()).isEqualTo(429);
    }
}
