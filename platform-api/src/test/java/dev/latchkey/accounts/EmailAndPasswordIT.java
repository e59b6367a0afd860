package dev.latchkey.accounts;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.MailIntegrationTest;
import dev.latchkey.support.TestInfrastructure;

/** Email verification and password reset, with the mails arriving at a real SMTP server. */
class EmailAndPasswordIT extends MailIntegrationTest {

    @Test
    void givenANewAccount_whenVerificationIsRequired_thenItLooksAroundButAddsNothingUntilTheMailedLinkIsFollowedOnce() {
        SignedUp user = signUp();
        assertThat(user.client().get("/v1/me").json().get("user").get("email_verified").asBoolean()).isFalse();
        assertThat(user.client().get("/v1/me").json().get("email_verification_required").asBoolean()).isTrue();
        assertThat(user.client().get("/v1/orgs/" + user.orgId() + "/members").status()).isEqualTo(200);
        assertThatProblem(user.client().post("/v1/orgs/" + user.orgId() + "/api-keys",
                Map.of("name", "k", "scopes", List.of("tokens:mint")))).hasStatus(403).hasType("/problems/email-unverified");
        assertThatProblem(user.client().post("/v1/orgs/" + user.orgId() + "/credentials", Map.of("provider", "livekit",
                "label", "l", "secret", Map.of("api_secret", "s".repeat(32)),
                "config", Map.of("api_key", "APIk", "url", "wss://x.livekit.cloud"))))
                .hasStatus(403).hasType("/problems/email-unverified");
        assertThatProblem(user.client().post("/v1/orgs/" + user.orgId() + "/members",
                Map.of("email", randomEmail(), "role", "viewer"))).hasStatus(403).hasType("/problems/email-unverified");

        ReceivedMail mail = awaitMail(user.email(), "Verify your email");
        // In HTML the values are escaped (JMustache writes "=" as &#61;, which a browser reads back as "=").
        assertThat(mail.html()).contains("Verify my email").contains(PUBLIC_URL + "/verify-email#token&#x3D;verify_");
        String token = mail.token("/verify-email");
        // Any browser may follow the link: the token is the proof.
        assertThat(client().post("/v1/auth/verify-email", Map.of("token", token)).status()).isEqualTo(204);

        assertThat(user.client().get("/v1/me").json().get("user").get("email_verified").asBoolean()).isTrue();
        assertThat(user.client().post("/v1/orgs/" + user.orgId() + "/api-keys",
                Map.of("name", "k", "scopes", List.of("tokens:mint"))).status()).isEqualTo(201);
        assertThatProblem(client().post("/v1/auth/verify-email", Map.of("token", token))).hasStatus(410)
                .hasType("/problems/link-unusable");
        assertThatProblem(client().post("/v1/auth/verify-email", Map.of("token", "verify_nothing"))).hasStatus(404)
                .hasType("/problems/link-not-found");
    }

    @Test
    void givenAResentVerificationMail_whenTheOlderLinkOrAnExpiredOneIsFollowed_thenEachIsRefusedSayingWhy() throws Exception {
        SignedUp user = signUp();
        String first = awaitMail(user.email(), "Verify your email", 1).token("/verify-email");
        assertThat(user.client().post("/v1/me/email-verification", null).status()).isEqualTo(202);
        String second = awaitMail(user.email(), "Verify your email", 2).token("/verify-email");

        assertThatProblem(client().post("/v1/auth/verify-email", Map.of("token", first))).hasStatus(410)
                .hasType("/problems/link-unusable");
        assertThat(client().post("/v1/auth/verify-email", Map.of("token", first)).json().get("detail").asString())
                .contains("newer link");
        expireLinksOf(user.userId());
        ApiClient.Response expired = client().post("/v1/auth/verify-email", Map.of("token", second));
        assertThatProblem(expired).hasStatus(410).hasType("/problems/link-unusable");
        assertThat(expired.json().get("detail").asString()).contains("expired");
    }

    @Test
    void givenAnUnverifiedAccount_whenAskingForVerificationMailsAgainAndAgain_thenTheThrottleStopsIt() {
        SignedUp user = signUp();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(user.client().post("/v1/me/email-verification", null).status());
        }
        assertThat(statuses.subList(0, 5)).containsOnly(202);
        assertThat(statuses.get(5)).isEqualTo(429);
    }

    @Test
    void givenKnownAndUnknownEmails_whenAPasswordResetIsRequested_thenTheAnswersAreTheSameAndOnlyTheAccountGetsMail() {
        SignedUp known = signUp();
        String unknown = randomEmail();

        ApiClient.Response forKnown = client().post("/v1/auth/password-reset", Map.of("email", known.email()));
        ApiClient.Response forUnknown = client().post("/v1/auth/password-reset", Map.of("email", unknown));

        assertThat(forKnown.status()).isEqualTo(forUnknown.status()).isEqualTo(202);
        assertThat(forKnown.body()).isEqualTo(forUnknown.body());
        assertThat(headerNames(forKnown)).isEqualTo(headerNames(forUnknown));
        assertThat(awaitMail(known.email(), "Reset your Latchkey password").text()).contains("/reset-password#token=reset_");
        // The outbox composed the unknown one too and found no account: nothing was sent.
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(outboxStatus(unknown)).isEqualTo("skipped"));
        assertThat(mailsTo(unknown, "")).isEmpty();
    }

    @Test
    void givenKnownAndUnknownEmails_whenResetsAreTimed_thenNeitherAnswersNoticeablySlower() {
        List<String> known = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            known.add(signUp().email());
        }
        long[] knownNanos = new long[known.size()];
        long[] unknownNanos = new long[known.size()];
        for (int i = 0; i < known.size(); i++) {
            knownNanos[i] = timed(known.get(i));
            unknownNanos[i] = timed(randomEmail());
        }
        Arrays.sort(knownNanos);
        Arrays.sort(unknownNanos);
        // The same work either way (one queued mail, one audit row): medians within a few milliseconds.
        assertThat(Math.abs(knownNanos[2] - unknownNanos[2]) / 1_000_000).isLessThan(40);
    }

    @Test
    void givenAResetLink_whenANewPasswordIsSet_thenEverySessionEndsTheLinkWorksOnceAndTheOwnerIsTold() {
        SignedUp user = signUp();
        ApiClient otherBrowser = client();
        assertThat(otherBrowser.post("/v1/auth/login", Map.of("email", user.email(), "password", user.password()))
                .status()).isEqualTo(200);
        assertThat(client().post("/v1/auth/password-reset", Map.of("email", user.email())).status()).isEqualTo(202);
        String token = awaitMail(user.email(), "Reset your Latchkey password").token("/reset-password");

        assertThatProblem(client().post("/v1/auth/password-reset/confirm", Map.of("token", token, "password", "short")))
                .hasStatus(400);
        ApiClient.Response reset = client().post("/v1/auth/password-reset/confirm",
                Map.of("token", token, "password", "a brand new passphrase"));

        assertThat(reset.status()).isEqualTo(204);
        assertThat(user.client().get("/v1/me").status()).isEqualTo(401);
        assertThat(otherBrowser.get("/v1/me").status()).isEqualTo(401);
        assertThat(client().post("/v1/auth/login", Map.of("email", user.email(), "password", user.password())).status())
                .isEqualTo(401);
        assertThat(client().post("/v1/auth/login", Map.of("email", user.email(), "password", "a brand new passphrase"))
                .status()).isEqualTo(200);
        assertThatProblem(client().post("/v1/auth/password-reset/confirm",
                Map.of("token", token, "password", "yet another passphrase"))).hasStatus(410)
                .hasType("/problems/link-unusable");
        assertThat(awaitMail(user.email(), "password was changed").text()).contains("was reset");
        ApiClient admin = platformAdmin();
        assertThat(admin.get("/v1/admin/audit-events?action=auth.password_reset&target_id=" + user.userId()).json()
                .get("items").size()).isEqualTo(1);
    }

    @Test
    void givenASignedInUser_whenChangingThePassword_thenTheCurrentOneIsNeededAndOtherSessionsEnd() {
        SignedUp user = signUp();
        ApiClient otherBrowser = client();
        otherBrowser.post("/v1/auth/login", Map.of("email", user.email(), "password", user.password()));

        assertThatProblem(user.client().post("/v1/me/password", Map.of("current_password", "wrong wrong wrong",
                "new_password", "a changed passphrase"))).hasStatus(400);
        assertThat(user.client().post("/v1/me/password", Map.of("current_password", user.password(),
                "new_password", "a changed passphrase")).status()).isEqualTo(204);

        assertThat(user.client().get("/v1/me").status()).isEqualTo(200);
        assertThat(otherBrowser.get("/v1/me").status()).isEqualTo(401);
        assertThat(awaitMail(user.email(), "password was changed").text()).contains("was changed");
    }

    @Test
    void givenTheMailServerIsDown_whenAMailIsQueued_thenItStaysInTheOutboxAndArrivesOnceTheServerIsBack() throws Exception {
        SignedUp user = signUp();
        awaitMail(user.email(), "Verify your email");
        SMTP.stop();
        try {
            assertThat(client().post("/v1/auth/password-reset", Map.of("email", user.email())).status()).isEqualTo(202);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(outboxAttempts(user.email())).isGreaterThanOrEqualTo(1));
            assertThat(outboxStatus(user.email(), "password_reset")).isEqualTo("pending");
        } finally {
            SMTP.start();
        }
        assertThat(awaitMail(user.email(), "Reset your Latchkey password").token("/reset-password")).startsWith("reset_");
        assertThat(outboxStatus(user.email(), "password_reset")).isEqualTo("sent");
    }

    private long timed(String email) {
        ApiClient client = client();
        client.get("/v1/auth/csrf");
        long start = System.nanoTime();
        ApiClient.Response response = client.post("/v1/auth/password-reset", Map.of("email", email));
        long took = System.nanoTime() - start;
        assertThat(response.status()).isEqualTo(202);
        return took;
    }

    private static List<String> headerNames(ApiClient.Response response) {
        return response.headers().keySet().stream().map(name -> name.toLowerCase(java.util.Locale.ROOT))
                .filter(name -> !name.equals("x-request-id") && !name.equals("date") && !name.equals("set-cookie"))
                .sorted().toList();
    }

    private static String outboxStatus(String recipient) throws Exception {
        return outboxStatus(recipient, "password_reset");
    }

    private static int outboxAttempts(String recipient) throws Exception {
        try (Connection connection = TestInfrastructure.get().connect(); PreparedStatement statement = connection
                .prepareStatement("SELECT attempts FROM mail_outbox WHERE recipient = ? AND kind = 'password_reset'")) {
            statement.setString(1, recipient);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? rows.getInt(1) : 0;
            }
        }
    }

    private static String outboxStatus(String recipient, String kind) throws Exception {
        try (Connection connection = TestInfrastructure.get().connect(); PreparedStatement statement = connection
                .prepareStatement("SELECT status FROM mail_outbox WHERE recipient = ? AND kind = ?")) {
            statement.setString(1, recipient);
            statement.setString(2, kind);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private static void expireLinksOf(UUID userId) throws Exception {
        try (Connection connection = TestInfrastructure.get().connect(); PreparedStatement statement = connection
                .prepareStatement("UPDATE account_tokens SET created_at = now() - interval '2 days',"
                        + " expires_at = now() - interval '1 day' WHERE user_id = ?")) {
            statement.setObject(1, userId);
            statement.executeUpdate();
        }
    }
}
