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
    void givenAdminScopedKeyOfAnAdmin_whenRaisingItsCreatorsRoleOrManagingMembers_thenForbiddenForEveryKey() {
        SignedUp owner = signUp();
        SignedUp admin = signUpMemberOf(owner, "admin");
        SignedUp developer = signUpMemberOf(owner, "developer");
        ApiClient adminKey = client().bearer(createApiKey(admin, owner.orgId(), "admin"));
        String orgPath = "/v1/orgs/" + owner.orgId();

        List<ApiClient.Response> refused = List.of(
                adminKey.patch(memberPath(owner, admin.userId()), Map.of("role", "owner")),
                adminKey.patch(memberPath(owner, developer.userId()), Map.of("role", "admin")),
                adminKey.post(membersOf(owner), Map.of("email", randomEmail(), "role", "admin")),
                adminKey.delete(memberPath(owner, developer.userId())),
                adminKey.get(orgPath + "/invitations"),
                adminKey.patch(orgPath, Map.of("name", "Renamed by a key")),
                adminKey.put(orgPath + "/allowed-origins", Map.of("allowed_origins", List.of("https://x.example"))),
                adminKey.delete(orgPath));

        refused.forEach(response -> assertThatProblem(response).hasStatus(403).hasType("/problems/forbidden"));
        assertThat(refused.get(0).json().get("detail").asString()).contains("console users").contains("API key");
        assertThat(member(owner, admin.userId()).get("role").asString()).isEqualTo("admin");
        assertThat(member(owner, developer.userId()).get("role").asString()).isEqualTo("developer");
        assertThat(owner.client().get(orgPath).json().get("name").asString()).isEqualTo("Test Org");
        // Reading the member list stays open to admin-scoped keys, without the invited emails.
        invite(owner, randomEmail(), "viewer");
        ApiClient.Response listed = adminKey.get(membersOf(owner));
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().get("items").valueStream().map(m -> m.get("status").asString()))
                .containsOnly("active");
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

    @Test
    void givenUserOwningTheMostOrganizations_whenCreatingOneMore_thenConflictOrganizationLimit() {
        SignedUp user = signUp();
        for (int i = 2; i <= 10; i++) {
            assertThat(user.client().post("/v1/orgs", Map.of("name", "Org " + i)).status()).isEqualTo(201);
        }

        ApiClient.Response eleventh = user.client().post("/v1/orgs", Map.of("name", "One too many"));

        assertThatProblem(eleventh).hasStatus(409).hasType("/problems/organization-limit");
        assertThat(eleventh.json().get("detail").asString()).contains("10");
        assertThat(user.client().get("/v1/me").json().get("organizations")).hasSize(10);
    }

    /** An API key of {@code orgId} created by {@code creator}, a member of it. */
    private String createApiKey(SignedUp creator, UUID orgId, String... scopes) {
        ApiClient.Response created = creator.client().post("/v1/orgs/" + orgId + "/api-keys",
                Map.of("name", "key of " + creator.email(), "scopes", scopes));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.json().get("key").asString();
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
