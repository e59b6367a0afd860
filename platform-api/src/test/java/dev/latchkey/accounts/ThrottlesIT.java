package dev.latchkey.accounts;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.SecondInstance;

/**
 * Signup, login, organization creation and invitations are throttled per client address and per
 * account: a script gets 429 with {@code Retry-After}. The per-address limits are tried on a
 * second instance with small ones (every test client shares 127.0.0.1, so the tests' own
 * instance allows nearly everything from one address); its users sign up on the first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThrottlesIT extends IntegrationTest {

    private SecondInstance strict;

    @BeforeAll
    void startAnInstanceWithSmallLimits() {
        strict = SecondInstance.start(Map.of(
                "latchkey.accounts.signup-throttle.per-ip", "3",
                "latchkey.accounts.login-throttle.per-ip", "3",
                "latchkey.accounts.org-creation-throttle.per-ip", "3",
                "latchkey.accounts.org-creation-throttle.per-account", "2",
                "latchkey.accounts.invitation-throttle.per-ip", "2",
                "latchkey.accounts.invitation-acceptance-throttle.per-account", "2"));
    }

    @AfterAll
    void stopIt() {
        strict.close();
    }

    @Test
    void givenOneAddress_whenSigningUpMoreThanItsLimit_thenTooManyRequestsWithRetryAfter() {
        List<ApiClient.Response> signups = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            signups.add(strict.client().post("/v1/auth/signup", Map.of("email", randomEmail(),
                    "password", "a long enough passphrase", "name", "Bot", "organization_name", "Bot Org " + i)));
        }

        assertThat(signups.subList(0, 3)).allSatisfy(signup -> assertThat(signup.status()).isEqualTo(201));
        assertRateLimited(signups.get(3), "from this address");
    }

    @Test
    void givenOneEmail_whenSignedUpAgainAndAgain_thenTheAttemptsForThatEmailAreThrottledToo() {
        String email = randomEmail();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(client().post("/v1/auth/signup", Map.of("email", email, "password", "a long enough passphrase",
                    "name", "Someone", "organization_name", "Org")).status());
        }

        assertThat(statuses).containsExactly(201, 409, 409, 409, 409, 429);
    }

    @Test
    void givenOneAddress_whenLoggingInToManyAccounts_thenTooManyRequestsWithRetryAfter() {
        ApiClient.Response last = null;
        for (int i = 0; i < 4; i++) {
            last = strict.client().post("/v1/auth/login", Map.of("email", randomEmail(), "password", "guess " + i));
        }

        assertRateLimited(last, "from this address");
    }

    @Test
    void givenOneUser_whenCreatingOrganizations_thenThrottledPerUserAndThenPerAddress() {
        ApiClient first = signUp().client().at(strict.client().baseUrl());
        ApiClient second = signUp().client().at(strict.client().baseUrl());

        List<Integer> byFirst = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            byFirst.add(first.post("/v1/orgs", Map.of("name", "Org " + i)).status());
        }
        ApiClient.Response thirdByFirst = first.post("/v1/orgs", Map.of("name", "One more"));
        ApiClient.Response firstBySecond = second.post("/v1/orgs", Map.of("name", "Org"));
        ApiClient.Response secondBySecond = second.post("/v1/orgs", Map.of("name", "Org"));

        assertThat(byFirst).containsExactly(201, 201);
        assertRateLimited(thirdByFirst, "for this account");
        assertThat(firstBySecond.status()).isEqualTo(201);
        assertRateLimited(secondBySecond, "from this address");
    }

    @Test
    void givenOneAddress_whenInvitingMoreThanItsLimit_thenTooManyRequestsAndNoInvitation() {
        SignedUp owner = signUp();
        ApiClient onStrict = owner.client().at(strict.client().baseUrl());
        String path = "/v1/orgs/" + owner.orgId() + "/members";

        List<ApiClient.Response> invitations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            invitations.add(onStrict.post(path, Map.of("email", randomEmail(), "role", "viewer")));
        }

        assertThat(invitations.subList(0, 2)).allSatisfy(invited -> assertThat(invited.status()).isEqualTo(201));
        assertRateLimited(invitations.get(2), "from this address");
        assertThat(owner.client().get("/v1/orgs/" + owner.orgId() + "/invitations").json().get("items")).hasSize(2);
    }

    @Test
    void givenOneUser_whenTryingInvitationTokens_thenThrottledPerUser() {
        SignedUp owner = signUp();
        String token = invite(owner, randomEmail(), "viewer").token();
        ApiClient prober = signUp().client().at(strict.client().baseUrl());

        List<Integer> statuses = new ArrayList<>();
        for (String guess : List.of("invite_" + UUID.randomUUID(), "invite_" + UUID.randomUUID())) {
            statuses.add(prober.post("/v1/invitations/preview", Map.of("token", guess)).status());
        }
        ApiClient.Response real = prober.post("/v1/invitations/accept", Map.of("token", token));

        assertThat(statuses).containsExactly(404, 404);
        assertRateLimited(real, "for this account");
    }

    private static void assertRateLimited(ApiClient.Response response, String which) {
        assertThatProblem(response).hasStatus(429).hasType("/problems/rate-limited");
        assertThat(Integer.parseInt(response.header("Retry-After"))).isPositive();
        assertThat(response.header("RateLimit-Limit")).isNotNull();
        assertThat(response.json().get("detail").asString()).contains(which);
    }
}
