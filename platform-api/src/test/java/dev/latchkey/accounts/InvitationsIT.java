package dev.latchkey.accounts;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.TestInfrastructure;
import tools.jackson.databind.JsonNode;

/**
 * Invitations are single-use, expiring tokens: the token, not the email, is the proof, and
 * inviting an email never tells the inviter anything about its account.
 */
class InvitationsIT extends IntegrationTest {

    @Test
    void givenOwner_whenInviting_thenTheAnswerCarriesASingleUseTokenAndItsLinkShownOnlyOnce() {
        SignedUp owner = signUp();
        String email = randomEmail();

        ApiClient.Response invited = owner.client().post(membersOf(owner), Map.of("email", email, "role", "developer"));

        assertThat(invited.status()).isEqualTo(201);
        JsonNode body = invited.json();
        String token = body.get("token").asString();
        assertThat(token).startsWith("invite_").hasSize(56);
        assertThat(body.get("invitation_url").asString())
                .isEqualTo("http://127.0.0.1:" + port + "/invitations/accept#token=" + token);
        // The console's route, with the token in the fragment: browsers never send it to a server.
        java.net.URI link = java.net.URI.create(body.get("invitation_url").asString());
        assertThat(link.getPath()).isEqualTo("/invitations/accept");
        assertThat(link.getRawQuery()).isNull();
        assertThat(link.getRawFragment()).isEqualTo("token=" + token);
        assertThat(body.get("status").asString()).isEqualTo("invited");
        assertThat(body.get("role").asString()).isEqualTo("developer");
        assertThat(body.get("email").asString()).isEqualTo(email);
        assertThat(java.time.Duration.between(java.time.Instant.parse(body.get("invited_at").asString()),
                java.time.Instant.parse(body.get("expires_at").asString()))).isEqualTo(java.time.Duration.ofDays(7));
        for (String read : List.of(membersOf(owner), "/v1/orgs/" + owner.orgId() + "/invitations",
                "/v1/orgs/" + owner.orgId() + "/audit-events")) {
            ApiClient.Response listed = owner.client().get(read);
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.body()).doesNotContain(token).doesNotContain(token.substring(7, 30));
        }
        JsonNode listed = owner.client().get("/v1/orgs/" + owner.orgId() + "/invitations").json().get("items").get(0);
        assertThat(listed.get("invitation_id").asString()).isEqualTo(body.get("invitation_id").asString());
        assertThat(listed.get("status").asString()).isEqualTo("invited");
        assertThat(listed.has("token")).isFalse();
    }

    @Test
    void givenEmailOfAnExistingAccount_whenInvited_thenTheAnswerIsAsForAnyEmailAndTheAccountDoesNotJoin() {
        SignedUp owner = signUp();
        SignedUp existing = signUp();

        ApiClient.Response forExisting = owner.client().post(membersOf(owner),
                Map.of("email", existing.email(), "role", "owner"));
        ApiClient.Response forUnknown = owner.client().post(membersOf(owner),
                Map.of("email", randomEmail(), "role", "owner"));

        assertThat(forExisting.status()).isEqualTo(forUnknown.status()).isEqualTo(201);
        assertThat(fieldNames(forExisting.json())).isEqualTo(fieldNames(forUnknown.json()));
        assertThat(forExisting.json().get("status").asString()).isEqualTo("invited");
        assertThat(forExisting.json().get("user_id")).isNull();
        assertThat(forExisting.json().get("name")).isNull();
        assertThat(forExisting.body()).doesNotContain(existing.userId().toString()).doesNotContain("Test User");
        assertThat(orgIds(existing.client().get("/v1/me").json())).containsExactly(existing.orgId().toString());
        assertThatProblem(existing.client().get("/v1/orgs/" + owner.orgId())).hasStatus(404);
        assertThat(owner.client().get(membersOf(owner)).json().get("items").valueStream()
                .filter(m -> m.get("status").asString().equals("active"))).hasSize(1);
    }

    @Test
    void givenInvitationForOneEmail_whenAnotherSignedInAccountPresentsTheToken_thenThatAccountJoinsWithTheRole() {
        SignedUp owner = signUp();
        Invited invited = invite(owner, randomEmail(), "developer");
        SignedUp holder = signUp();

        ApiClient.Response preview = holder.client().post("/v1/invitations/preview", Map.of("token", invited.token()));
        ApiClient.Response accepted = holder.client().post("/v1/invitations/accept", Map.of("token", invited.token()));

        assertThat(preview.status()).isEqualTo(200);
        assertThat(fieldNames(preview.json()))
                .containsExactlyInAnyOrder("organization_id", "organization_name", "role", "expires_at");
        assertThat(preview.json().get("organization_name").asString()).isEqualTo("Test Org");
        assertThat(preview.json().get("role").asString()).isEqualTo("developer");
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.json().get("organization").get("id").asString()).isEqualTo(owner.orgId().toString());
        assertThat(accepted.json().get("organization").get("role").asString()).isEqualTo("developer");
        assertThat(organization(holder.client().get("/v1/me").json(), owner.orgId()).get("role").asString())
                .isEqualTo("developer");
        assertThat(owner.client().get("/v1/orgs/" + owner.orgId() + "/invitations").json().get("items")).isEmpty();
        assertThat(actions(owner)).contains("membership.invited", "membership.invitation_accepted");
    }

    @Test
    void givenPendingInvitationForAnEmail_whenThatEmailSignsUp_thenTheyDoNotJoinUntilTheyPresentTheToken() {
        SignedUp owner = signUp();
        String email = randomEmail();
        Invited invited = invite(owner, email, "owner");

        SignedUp invitee = signUp(email.toUpperCase());

        assertThat(orgIds(invitee.client().get("/v1/me").json())).containsExactly(invitee.orgId().toString());
        assertThatProblem(invitee.client().get("/v1/orgs/" + owner.orgId())).hasStatus(404);
        assertThat(invitee.client().post("/v1/invitations/accept", Map.of("token", invited.token())).status())
                .isEqualTo(200);
        assertThat(organization(invitee.client().get("/v1/me").json(), owner.orgId()).get("role").asString())
                .isEqualTo("owner");
    }

    @Test
    void givenAcceptedInvitation_whenTheTokenIsPresentedAgain_thenGoneAndNothingChanges() {
        SignedUp owner = signUp();
        Invited invited = invite(owner, randomEmail(), "admin");
        SignedUp first = signUp();
        assertThat(first.client().post("/v1/invitations/accept", Map.of("token", invited.token())).status())
                .isEqualTo(200);
        SignedUp second = signUp();

        for (SignedUp caller : List.of(second, first)) {
            for (String path : List.of("/v1/invitations/accept", "/v1/invitations/preview")) {
                ApiClient.Response again = caller.client().post(path, Map.of("token", invited.token()));
                assertThatProblem(again).hasStatus(410).hasType("/problems/invitation-unusable");
                assertThat(again.json().get("detail").asString()).contains("already used");
            }
        }
        assertThatProblem(second.client().get("/v1/orgs/" + owner.orgId())).hasStatus(404);
        assertThat(owner.client().get(membersOf(owner)).json().get("items")).hasSize(2);
    }

    @Test
    void givenExpiredInvitation_whenItsTokenIsPresented_thenGoneAndTheInviterSeesItExpiredAndMayInviteAgain()
            throws SQLException {
        SignedUp owner = signUp();
        String email = randomEmail();
        Invited invited = invite(owner, email, "viewer");
        // Its lifetime has passed.
        execute("UPDATE invitations SET expires_at = created_at WHERE id = ?", invited.id());
        SignedUp holder = signUp();

        ApiClient.Response refused = holder.client().post("/v1/invitations/accept", Map.of("token", invited.token()));

        assertThatProblem(refused).hasStatus(410).hasType("/problems/invitation-unusable");
        assertThat(refused.json().get("detail").asString()).contains("expired");
        assertThatProblem(holder.client().get("/v1/orgs/" + owner.orgId())).hasStatus(404);
        JsonNode listed = owner.client().get("/v1/orgs/" + owner.orgId() + "/invitations").json().get("items").get(0);
        assertThat(listed.get("status").asString()).isEqualTo("expired");
        Invited again = invite(owner, email, "viewer");
        assertThat(holder.client().post("/v1/invitations/accept", Map.of("token", again.token())).status())
                .isEqualTo(200);
    }

    @Test
    void givenRevokedInvitation_whenItsTokenIsPresented_thenGone() {
        SignedUp owner = signUp();
        Invited invited = invite(owner, randomEmail(), "developer");
        SignedUp holder = signUp();

        assertThat(owner.client().delete("/v1/orgs/" + owner.orgId() + "/invitations/" + invited.id()).status())
                .isEqualTo(204);
        ApiClient.Response refused = holder.client().post("/v1/invitations/accept", Map.of("token", invited.token()));

        assertThatProblem(refused).hasStatus(410).hasType("/problems/invitation-unusable");
        assertThat(refused.json().get("detail").asString()).contains("revoked");
        assertThatProblem(holder.client().get("/v1/orgs/" + owner.orgId())).hasStatus(404);
        assertThat(owner.client().get("/v1/orgs/" + owner.orgId() + "/invitations").json().get("items")).isEmpty();
        assertThatProblem(owner.client().delete("/v1/orgs/" + owner.orgId() + "/invitations/" + invited.id()))
                .hasStatus(404);
    }

    @Test
    void givenUnknownOrMistypedToken_whenPresented_thenNotFoundNamingNoInvitation() {
        SignedUp owner = signUp();
        String token = invite(owner, randomEmail(), "developer").token();
        SignedUp holder = signUp();
        String mistyped = token.substring(0, 20) + (token.charAt(20) == 'a' ? 'b' : 'a') + token.substring(21);

        for (String candidate : List.of(mistyped, "invite_" + "A".repeat(49), "not a token", "platform_x")) {
            assertThatProblem(holder.client().post("/v1/invitations/accept", Map.of("token", candidate)))
                    .hasStatus(404).hasType("/problems/invitation-not-found");
        }
        assertThatProblem(holder.client().post("/v1/invitations/accept", Map.of())).hasStatus(400)
                .namesField("token");
        assertThat(holder.client().post("/v1/invitations/accept", Map.of("token", token)).status()).isEqualTo(200);
    }

    @Test
    void givenMemberOfTheOrganization_whenAcceptingAnotherInvitationToIt_thenConflictAndTheTokenStaysUsable() {
        SignedUp owner = signUp();
        SignedUp viewer = signUpMemberOf(owner, "viewer");
        Invited forAdmin = invite(owner, randomEmail(), "admin");

        assertThatProblem(viewer.client().post("/v1/invitations/accept", Map.of("token", forAdmin.token())))
                .hasStatus(409).hasType("/problems/conflict");

        assertThat(member(owner, viewer.userId()).get("role").asString()).isEqualTo("viewer");
        assertThat(signUp().client().post("/v1/invitations/accept", Map.of("token", forAdmin.token())).status())
                .isEqualTo(200);
    }

    @Test
    void givenMembersBelowAdmin_whenListingInvitations_thenForbiddenAndTheMemberListShowsNoInvitedEmails() {
        SignedUp owner = signUp();
        String invitedEmail = randomEmail();
        invite(owner, invitedEmail, "owner");
        SignedUp admin = signUpMemberOf(owner, "admin");

        for (String role : List.of("viewer", "billing", "developer")) {
            SignedUp member = signUpMemberOf(owner, role);
            assertThatProblem(member.client().get("/v1/orgs/" + owner.orgId() + "/invitations")).hasStatus(403)
                    .hasType("/problems/forbidden");
            ApiClient.Response members = member.client().get(membersOf(owner));
            assertThat(members.status()).isEqualTo(200);
            assertThat(members.body()).as(role).doesNotContain(invitedEmail).doesNotContain("\"invited\"");
            assertThatProblem(member.client().post(membersOf(owner), Map.of("email", randomEmail(), "role", "viewer")))
                    .hasStatus(403).hasType("/problems/forbidden");
        }
        assertThat(admin.client().get("/v1/orgs/" + owner.orgId() + "/invitations").body()).contains(invitedEmail);
        assertThat(admin.client().get(membersOf(owner)).body()).contains(invitedEmail);
    }

    @Test
    void givenInvitationsByAnAdmin_whenTheAdminIsDemotedOrRemoved_thenTheirPendingInvitationsStopWorking() {
        SignedUp owner = signUp();
        SignedUp admin = signUpMemberOf(owner, "admin");
        SignedUp otherAdmin = signUpMemberOf(owner, "admin");
        Invited byDemoted = invite(admin, owner.orgId(), randomEmail(), "admin");
        Invited byRemoved = invite(otherAdmin, owner.orgId(), randomEmail(), "developer");
        Invited byOwner = invite(owner, randomEmail(), "developer");

        assertThat(owner.client().patch(membersOf(owner) + "/" + admin.userId(), Map.of("role", "developer"))
                .status()).isEqualTo(200);
        assertThat(owner.client().delete(membersOf(owner) + "/" + otherAdmin.userId()).status()).isEqualTo(204);

        for (Invited revoked : List.of(byDemoted, byRemoved)) {
            assertThatProblem(signUp().client().post("/v1/invitations/accept", Map.of("token", revoked.token())))
                    .hasStatus(410).hasType("/problems/invitation-unusable");
        }
        assertThat(signUp().client().post("/v1/invitations/accept", Map.of("token", byOwner.token())).status())
                .isEqualTo(200);
        assertThat(actions(owner).stream().filter("membership.invitation_cancelled"::equals)).hasSize(2);
    }

    @Test
    void givenApiKey_whenAcceptingOrPreviewingAnInvitation_thenForbiddenForConsoleUsersOnly() {
        SignedUp owner = signUp();
        Invited invited = invite(owner, randomEmail(), "admin");
        SignedUp other = signUp();
        ApiClient key = client().bearer(createApiKey(other, "admin"));

        for (String path : List.of("/v1/invitations/accept", "/v1/invitations/preview")) {
            assertThatProblem(key.post(path, Map.of("token", invited.token()))).hasStatus(403)
                    .hasType("/problems/forbidden");
            assertThatProblem(client().post(path, Map.of("token", invited.token()))).hasStatus(401);
        }
        assertThat(other.client().post("/v1/invitations/accept", Map.of("token", invited.token())).status())
                .isEqualTo(200);
    }

    @Test
    void givenPendingInvitation_whenTheSameEmailIsInvitedAgain_thenConflictUntilTheFirstIsRevoked() {
        SignedUp owner = signUp();
        String email = randomEmail();
        Invited first = invite(owner, email, "viewer");

        assertThatProblem(owner.client().post(membersOf(owner), Map.of("email", email.toUpperCase(), "role", "admin")))
                .hasStatus(409).hasType("/problems/conflict");
        owner.client().delete("/v1/orgs/" + owner.orgId() + "/invitations/" + first.id());
        assertThat(invite(owner, email, "admin").token()).isNotEqualTo(first.token());
    }

    private static String membersOf(SignedUp owner) {
        return "/v1/orgs/" + owner.orgId() + "/members";
    }

    private static void execute(String sql, UUID id) throws SQLException {
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, id);
            statement.executeUpdate();
        }
    }

    private List<String> actions(SignedUp owner) {
        return owner.client().get("/v1/orgs/" + owner.orgId() + "/audit-events?limit=200").json().get("items")
                .valueStream().map(event -> event.get("action").asString()).toList();
    }

    private static Set<String> fieldNames(JsonNode node) {
        return Set.copyOf(node.propertyNames());
    }

    private static List<String> orgIds(JsonNode me) {
        return me.get("organizations").valueStream().map(o -> o.get("id").asString()).toList();
    }

    private static JsonNode member(SignedUp owner, UUID userId) {
        return owner.client().get(membersOf(owner)).json().get("items").valueStream()
                .filter(m -> userId.toString().equals(m.path("user_id").asString("")))
                .findFirst().orElseThrow(() -> new AssertionError("no member " + userId));
    }

    private static JsonNode organization(JsonNode me, UUID orgId) {
        return me.get("organizations").valueStream()
                .filter(o -> o.get("id").asString().equals(orgId.toString()))
                .findFirst().orElseThrow(() -> new AssertionError("not a member of " + orgId + ": " + me));
    }
}
