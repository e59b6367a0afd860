package dev.latchkey.accounts;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.MailIntegrationTest;
import tools.jackson.databind.JsonNode;

/** TOTP two-factor authentication, console sessions and invitations by mail. */
class MfaSessionsAndInvitationsIT extends MailIntegrationTest {

    private record Enrolled(SignedUp user, String secret, List<String> recoveryCodes, long step) {
    }

    private Enrolled enrol(SignedUp user) {
        JsonNode enrolment = user.client().post("/v1/me/mfa/totp", null).json();
        String secret = enrolment.get("secret").asString();
        assertThat(enrolment.get("otpauth_uri").asString()).startsWith("otpauth://totp/Latchkey:")
                .contains("secret=" + secret).contains("issuer=Latchkey");
        long step = currentStep();
        ApiClient.Response confirmed = user.client().post("/v1/me/mfa/totp/confirm", Map.of("code", totp(secret, step)));
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        List<String> codes = new ArrayList<>();
        confirmed.json().get("recovery_codes").forEach(code -> codes.add(code.asString()));
        return new Enrolled(user, secret, codes, step);
    }

    private ApiClient passwordStep(SignedUp user) {
        ApiClient browser = client();
        assertThatProblem(browser.post("/v1/auth/login", Map.of("email", user.email(), "password", user.password())))
                .hasStatus(401).hasType("/problems/mfa-required");
        return browser;
    }

    @Test
    void givenTotpEnrolled_whenLoggingIn_thenTheCodeIsAskedAndAWrongOrReplayedOneIsRefused() {
        Enrolled enrolled = enrol(signUp());
        SignedUp user = enrolled.user();
        assertThat(enrolled.recoveryCodes()).hasSize(10).doesNotHaveDuplicates();
        assertThat(user.client().get("/v1/me/mfa").json().get("recovery_codes_remaining").asInt()).isEqualTo(10);

        ApiClient browser = passwordStep(user);
        assertThat(browser.get("/v1/me").status()).as("nobody is signed in after the password alone").isEqualTo(401);
        String wrong = totp(enrolled.secret(), enrolled.step() + 5);
        assertThatProblem(browser.post("/v1/auth/login/mfa", Map.of("code", wrong))).hasStatus(401)
                .hasType("/problems/invalid-mfa-code");
        // The enrolment used the current step: its code, now a replay, is refused; the next step's is not.
        assertThatProblem(browser.post("/v1/auth/login/mfa", Map.of("code", totp(enrolled.secret(), enrolled.step()))))
                .hasStatus(401).hasType("/problems/invalid-mfa-code");
        String next = totp(enrolled.secret(), enrolled.step() + 1);
        ApiClient.Response signedIn = browser.post("/v1/auth/login/mfa", Map.of("code", next));
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(200);
        assertThat(browser.get("/v1/me").json().get("user").get("mfa_enabled").asBoolean()).isTrue();

        ApiClient again = passwordStep(user);
        assertThatProblem(again.post("/v1/auth/login/mfa", Map.of("code", next))).hasStatus(401)
                .hasType("/problems/invalid-mfa-code");
        assertThatProblem(client().post("/v1/auth/login/mfa", Map.of("code", next))).hasStatus(401)
                .hasType("/problems/unauthenticated");
        assertThat(platformAdmin().get("/v1/admin/audit-events?action=auth.login&target_id=" + user.userId()
                + "&outcome=failure").json().get("items").size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void givenRecoveryCodes_whenEachIsUsed_thenItWorksOnceAndDisablingNeedsPasswordAndCodeAndEndsOtherSessions() {
        Enrolled enrolled = enrol(signUp());
        SignedUp user = enrolled.user();
        String code = enrolled.recoveryCodes().get(0);

        ApiClient browser = passwordStep(user);
        assertThat(browser.post("/v1/auth/login/mfa", Map.of("code", code.toUpperCase())).status()).isEqualTo(200);
        ApiClient reused = passwordStep(user);
        assertThatProblem(reused.post("/v1/auth/login/mfa", Map.of("code", code))).hasStatus(401);
        assertThat(reused.post("/v1/auth/login/mfa", Map.of("code", enrolled.recoveryCodes().get(1))).status())
                .isEqualTo(200);
        assertThat(browser.get("/v1/me/mfa").json().get("recovery_codes_remaining").asInt()).isEqualTo(8);

        assertThatProblem(browser.post("/v1/me/mfa/disable", Map.of("password", "not the password",
                "code", enrolled.recoveryCodes().get(2)))).hasStatus(400);
        assertThat(browser.post("/v1/me/mfa/disable", Map.of("password", user.password(),
                "code", enrolled.recoveryCodes().get(2))).status()).isEqualTo(204);
        assertThat(browser.get("/v1/me").json().get("user").get("mfa_enabled").asBoolean()).isFalse();
        assertThat(reused.get("/v1/me").status()).as("disabling MFA ends the other sessions").isEqualTo(401);
        assertThat(awaitMail(user.email(), "was disabled").text()).contains("Every other browser was signed out");
        assertThat(client().post("/v1/auth/login", Map.of("email", user.email(), "password", user.password())).status())
                .isEqualTo(200);
    }

    @Test
    void givenAnOrganizationThatRequiresMfa_whenAnAdminWithoutItActs_thenTheyAreAskedToEnrolFirst() {
        SignedUp owner = signUp();
        verifyEmail(owner);
        assertThatProblem(owner.client().put("/v1/orgs/" + owner.orgId() + "/security", Map.of("require_mfa", true)))
                .hasStatus(409);
        Enrolled enrolled = enrol(owner);
        SignedUp admin = signUpMemberOf(owner, "admin");
        SignedUp developer = signUpMemberOf(owner, "developer");

        assertThat(owner.client().put("/v1/orgs/" + owner.orgId() + "/security", Map.of("require_mfa", true)).json()
                .get("require_mfa").asBoolean()).isTrue();

        assertThatProblem(admin.client().get("/v1/orgs/" + owner.orgId() + "/members")).hasStatus(403)
                .hasType("/problems/mfa-enrolment-required");
        assertThat(developer.client().get("/v1/orgs/" + owner.orgId() + "/members").status()).isEqualTo(200);
        assertThat(admin.client().get("/v1/orgs/" + admin.orgId()).status()).as("their own organization").isEqualTo(200);
        enrol(admin);
        assertThat(admin.client().get("/v1/orgs/" + owner.orgId() + "/members").status()).isEqualTo(200);
        assertThat(enrolled.user().client().get("/v1/orgs/" + owner.orgId() + "/members").status()).isEqualTo(200);
    }

    @Test
    void givenTwoBrowsers_whenOneEndsTheOther_thenThatBrowserIsSignedOutAndAnAdminCanEndThemAll() {
        SignedUp user = signUp();
        ApiClient laptop = client();
        assertThat(laptop.post("/v1/auth/login", Map.of("email", user.email(), "password", user.password())).status())
                .isEqualTo(200);

        JsonNode sessions = user.client().get("/v1/me/sessions").json().get("items");
        assertThat(sessions).hasSize(2);
        assertThat(sessions.get(0).get("current").asBoolean()).isTrue();
        JsonNode other = sessions.get(1);
        assertThat(other.get("current").asBoolean()).isFalse();
        assertThat(other.get("ip").asString()).isEqualTo("127.0.0.1");
        assertThat(other.get("device").asString()).isNotBlank();
        assertThat(other.has("created_at") && other.has("last_seen_at")).isTrue();
        UUID otherId = UUID.fromString(other.get("id").asString());

        SignedUp stranger = signUp();
        assertThat(stranger.client().delete("/v1/me/sessions/" + otherId).status()).isEqualTo(404);
        assertThat(laptop.get("/v1/me").status()).isEqualTo(200);
        assertThat(user.client().delete("/v1/me/sessions/" + otherId).status()).isEqualTo(204);
        assertThat(laptop.get("/v1/me").status()).as("the ended session's browser is signed out").isEqualTo(401);
        assertThat(user.client().get("/v1/me/sessions").json().get("items")).hasSize(1);

        ApiClient phone = client();
        phone.post("/v1/auth/login", Map.of("email", user.email(), "password", user.password()));
        assertThat(platformAdmin().get("/v1/admin/users?email=" + user.email()).json().get("items").get(0)
                .get("active_sessions").asInt()).isEqualTo(2);
        assertThat(user.client().delete("/v1/admin/users/" + user.userId() + "/sessions").status()).isEqualTo(404);
        ApiClient.Response ended = platformAdmin().delete("/v1/admin/users/" + user.userId() + "/sessions");
        assertThat(ended.json().get("ended").asInt()).isEqualTo(2);
        assertThat(phone.get("/v1/me").status()).isEqualTo(401);
        assertThat(user.client().get("/v1/me").status()).isEqualTo(401);
    }

    @Test
    void givenAnInvitation_whenItIsMailedAndResent_thenTheNewestMailedLinkLetsANewcomerSignUpIntoTheOrganization() {
        SignedUp owner = signUp();
        verifyEmail(owner);
        String email = randomEmail();
        Invited invited = invite(owner, email, "developer");

        ReceivedMail first = awaitMail(email, "invites you to Test Org");
        assertThat(first.text()).contains("as developer").contains(PUBLIC_URL + "/invitations/accept#token=invite_");
        String firstToken = first.token("/invitations/accept");
        assertThat(firstToken).isNotEqualTo(invited.token());

        assertThat(owner.client().post("/v1/orgs/" + owner.orgId() + "/invitations/" + invited.id() + "/resend", null)
                .status()).isEqualTo(202);
        String secondToken = awaitMail(email, "invites you to Test Org", 2).token("/invitations/accept");
        SignedUp stranger = signUp();
        assertThat(stranger.client().post("/v1/orgs/" + owner.orgId() + "/invitations/" + invited.id() + "/resend", null)
                .status()).isEqualTo(404);
        assertThatProblem(stranger.client().post("/v1/invitations/preview", Map.of("token", firstToken))).hasStatus(404);
        assertThat(stranger.client().post("/v1/invitations/preview", Map.of("token", invited.token())).status())
                .as("the inviter's own link still works").isEqualTo(200);

        ApiClient newcomer = client();
        ApiClient.Response signup = newcomer.post("/v1/auth/signup", Map.of("email", email, "password",
                "newcomer passphrase 1", "name", "Newcomer", "invitation_token", secondToken));
        assertThat(signup.status()).as(signup.body()).isEqualTo(201);
        assertThat(signup.json().get("organization").get("id").asString()).isEqualTo(owner.orgId().toString());
        JsonNode organizations = newcomer.get("/v1/me").json().get("organizations");
        assertThat(organizations).hasSize(1);
        assertThat(organizations.get(0).get("role").asString()).isEqualTo("developer");
        assertThatProblem(stranger.client().post("/v1/invitations/accept", Map.of("token", invited.token())))
                .hasStatus(410);
        assertThatProblem(client().post("/v1/auth/signup", Map.of("email", randomEmail(), "password",
                "another passphrase 1", "name", "Late", "invitation_token", secondToken))).hasStatus(410);
        assertThatProblem(client().post("/v1/auth/signup", Map.of("email", randomEmail(), "password",
                "another passphrase 1", "name", "No org"))).hasStatus(400);
    }
}
