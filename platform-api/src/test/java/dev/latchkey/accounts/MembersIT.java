package dev.latchkey.accounts;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

class MembersIT extends IntegrationTest {

    @Test
    void givenEmailWithoutAccount_whenInvited_thenItIsPendingUntilThatEmailSignsUpAsMemberWithTheRole() {
        SignedUp owner = signUp();
        String email = randomEmail();

        ApiClient.Response invited = owner.client().post(membersOf(owner),
                Map.of("email", email, "role", "developer"));

        assertThat(invited.status()).isEqualTo(201);
        assertThat(invited.json().get("status").asString()).isEqualTo("invited");
        assertThat(invited.json().get("role").asString()).isEqualTo("developer");
        assertThat(invited.json().get("invitation_id").isNull()).isFalse();

        SignedUp invitee = signUp(email.toUpperCase());

        JsonNode membership = organization(invitee.client().get("/v1/me").json(), owner.orgId());
        assertThat(membership.get("role").asString()).isEqualTo("developer");
        JsonNode member = member(owner, invitee.userId());
        assertThat(member.get("status").asString()).isEqualTo("active");
        assertThat(member.get("role").asString()).isEqualTo("developer");
        assertThat(owner.client().get(membersOf(owner)).json().get("items").valueStream()
                .filter(m -> m.get("status").asString().equals("invited"))).isEmpty();
    }

    @Test
    void givenExistingAccount_whenAdded_thenTheyAreAnActiveMemberAtOnce() {
        SignedUp owner = signUp();
        SignedUp other = signUp();

        ApiClient.Response added = owner.client().post(membersOf(owner),
                Map.of("email", other.email(), "role", "viewer"));

        assertThat(added.status()).isEqualTo(201);
        assertThat(added.json().get("status").asString()).isEqualTo("active");
        assertThat(added.json().get("user_id").asString()).isEqualTo(other.userId().toString());
        assertThat(other.client().get("/v1/orgs/" + owner.orgId()).status()).isEqualTo(200);
    }

    @Test
    void givenMember_whenOwnerChangesTheirRole_thenTheNewRoleApplies() {
        SignedUp owner = signUp();
        SignedUp member = signUpMemberOf(owner, "viewer");
        assertThatProblem(member.client().post("/v1/orgs/" + owner.orgId() + "/api-keys",
                Map.of("name", "k", "scopes", new String[] {"usage:read"}))).hasStatus(403);

        ApiClient.Response changed = owner.client().patch(memberPath(owner, member.userId()),
                Map.of("role", "developer"));

        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("role").asString()).isEqualTo("developer");
        assertThat(organization(member.client().get("/v1/me").json(), owner.orgId()).get("role").asString())
                .isEqualTo("developer");
        assertThat(member.client().post("/v1/orgs/" + owner.orgId() + "/api-keys",
                Map.of("name", "k", "scopes", new String[] {"usage:read"})).status()).isEqualTo(201);
    }

    @Test
    void givenAdmin_whenGrantingOrTakingTheOwnerRole_thenForbiddenAndNothingChanges() {
        SignedUp owner = signUp();
        SignedUp admin = signUpMemberOf(owner, "admin");
        SignedUp developer = signUpMemberOf(owner, "developer");

        ApiClient adminClient = admin.client();

        List<ApiClient.Response> refused = List.of(
                adminClient.post(membersOf(owner), Map.of("email", randomEmail(), "role", "owner")),
                adminClient.patch(memberPath(owner, developer.userId()), Map.of("role", "owner")),
                adminClient.patch(memberPath(owner, admin.userId()), Map.of("role", "owner")),
                adminClient.patch(memberPath(owner, owner.userId()), Map.of("role", "viewer")),
                adminClient.delete(memberPath(owner, owner.userId())));

        refused.forEach(response -> assertThatProblem(response).hasStatus(403).hasType("/problems/forbidden"));
        assertThat(member(owner, owner.userId()).get("role").asString()).isEqualTo("owner");
        assertThat(member(owner, admin.userId()).get("role").asString()).isEqualTo("admin");
        assertThat(member(owner, developer.userId()).get("role").asString()).isEqualTo("developer");
        assertThat(owner.client().get(membersOf(owner)).json().get("items")).hasSize(3);
        // What admins may do: manage the roles below owner.
        assertThat(admin.client().patch(memberPath(owner, developer.userId()), Map.of("role", "billing")).status())
                .isEqualTo(200);
    }

    @Test
    void givenLastOwner_whenDemotingThemselvesOrLeaving_thenConflictLastOwner() {
        SignedUp owner = signUp();
        signUpMemberOf(owner, "admin");

        ApiClient.Response demote = owner.client().patch(memberPath(owner, owner.userId()),
                Map.of("role", "admin"));
        ApiClient.Response leave = owner.client().delete(memberPath(owner, owner.userId()));

        assertThatProblem(demote).hasStatus(409).hasType("/problems/last-owner");
        assertThatProblem(leave).hasStatus(409).hasType("/problems/last-owner");
        assertThat(member(owner, owner.userId()).get("role").asString()).isEqualTo("owner");
    }

    @Test
    void givenSecondOwner_whenTheFirstOwnerLeaves_thenTheOrganizationKeepsTheOther() {
        SignedUp owner = signUp();
        SignedUp coOwner = signUpMemberOf(owner, "owner");

        assertThat(owner.client().delete(memberPath(owner, owner.userId())).status()).isEqualTo(204);

        assertThat(member(coOwner, owner.orgId(), coOwner.userId()).get("role").asString()).isEqualTo("owner");
        assertThatProblem(coOwner.client().delete(memberPath(owner, coOwner.userId()))).hasStatus(409)
                .hasType("/problems/last-owner");
    }

    @Test
    void givenMember_whenLeaving_thenTheyNoLongerSeeTheOrganization() {
        SignedUp owner = signUp();
        SignedUp member = signUpMemberOf(owner, "viewer");

        ApiClient.Response leave = member.client().delete(memberPath(owner, member.userId()));

        assertThat(leave.status()).isEqualTo(204);
        assertThatProblem(member.client().get("/v1/orgs/" + owner.orgId())).hasStatus(404);
        assertThat(member.client().get("/v1/me").json().get("organizations").valueStream()
                .map(o -> o.get("id").asString())).containsExactly(member.orgId().toString());
        assertThat(owner.client().get(membersOf(owner)).json().get("items")).hasSize(1);
    }

    private static String membersOf(SignedUp owner) {
        return "/v1/orgs/" + owner.orgId() + "/members";
    }

    private static String memberPath(SignedUp owner, UUID userId) {
        return membersOf(owner) + "/" + userId;
    }

    private static JsonNode member(SignedUp owner, UUID userId) {
        return member(owner, owner.orgId(), userId);
    }

    /** A member as listed to the reader, in the organization orgId. */
    private static JsonNode member(SignedUp reader, UUID orgId, UUID userId) {
        return reader.client().get("/v1/orgs/" + orgId + "/members").json().get("items").valueStream()
                .filter(m -> userId.toString().equals(m.path("user_id").asString("")))
                .findFirst().orElseThrow(() -> new AssertionError("no member " + userId));
    }

    private static JsonNode organization(JsonNode me, UUID orgId) {
        return me.get("organizations").valueStream()
                .filter(o -> o.get("id").asString().equals(orgId.toString()))
                .findFirst().orElseThrow(() -> new AssertionError("not a member of " + orgId + ": " + me));
    }
}
