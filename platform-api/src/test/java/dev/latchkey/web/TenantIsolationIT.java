package dev.latchkey.web;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.Reliability;

/**
 * Every org-scoped endpoint, called by a user of another organization and by another
 * organization's admin-scoped API key: 404 (never 403, so no existence oracle), and the
 * target organization is left exactly as it was. The organizations are shared by all cases;
 * each case compares the target before and after its own calls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationIT extends IntegrationTest {

    private Target target;
    private SignedUp attacker;
    /** The attacker's console session and their organization's admin-scoped API key. */
    private List<ApiClient> attackerClients;

    @BeforeAll
    void createTargetAndAttacker() {
        SignedUp owner = signUp();
        SignedUp member = signUpMemberOf(owner, "developer");
        ApiClient.Response invitation = owner.client().post("/v1/orgs/" + owner.orgId() + "/members",
                Map.of("email", randomEmail(), "role", "admin"));
        assertThat(invitation.status()).isEqualTo(201);
        target = new Target(owner, member.userId(),
                UUID.fromString(invitation.json().get("invitation_id").asString()), issueApiKey(owner, "admin").id());
        attacker = signUp();
        attackerClients = List.of(attacker.client(), client().bearer(createApiKey(attacker, "admin")));
    }

    /**
     * One org-scoped endpoint. {@code path} placeholders: {org}, {member}, {invitation}, {key}
     * (the target's) and {self} (the attacker's own user id).
     */
    record Endpoint(String method, String path, Map<String, Object> body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static Stream<Endpoint> orgScopedEndpoints() {
        return Stream.of(
                new Endpoint("GET", "/v1/orgs/{org}", null),
                new Endpoint("PATCH", "/v1/orgs/{org}", Map.of("name", "Taken over")),
                new Endpoint("GET", "/v1/orgs/{org}/members", null),
                new Endpoint("POST", "/v1/orgs/{org}/members", Map.of("email", randomEmail(), "role", "owner")),
                new Endpoint("PATCH", "/v1/orgs/{org}/members/{member}", Map.of("role", "viewer")),
                new Endpoint("DELETE", "/v1/orgs/{org}/members/{member}", null),
                new Endpoint("DELETE", "/v1/orgs/{org}/members/{self}", null),
                new Endpoint("GET", "/v1/orgs/{org}/invitations", null),
                new Endpoint("DELETE", "/v1/orgs/{org}/invitations/{invitation}", null),
                new Endpoint("GET", "/v1/orgs/{org}/api-keys", null),
                new Endpoint("POST", "/v1/orgs/{org}/api-keys", Map.of("name", "planted", "scopes", List.of("admin"))),
                new Endpoint("GET", "/v1/orgs/{org}/api-keys/{key}", null),
                new Endpoint("DELETE", "/v1/orgs/{org}/api-keys/{key}", null),
                new Endpoint("POST", "/v1/orgs/{org}/api-keys/{key}/rotate", Map.of("grace_seconds", 0)),
                new Endpoint("GET", "/v1/orgs/{org}/allowed-origins", null),
                new Endpoint("PUT", "/v1/orgs/{org}/allowed-origins",
                        Map.of("allowed_origins", List.of("https://attacker.example"))),
                new Endpoint("GET", "/v1/orgs/{org}/calls", null),

                new Endpoint("GET", "/v1/orgs/{org}/audit-events", null));
    }

    static Stream<Endpoint> endpointsNamingAResource() {
        return orgScopedEndpoints().filter(endpoint -> endpoint.path().matches(".*\\{(member|invitation|key)}.*"));
    }

    /** An organization with a member, a pending invitation and an API key, all of which attackers aim at. */
    private record Target(SignedUp owner, UUID memberId, UUID invitationId, UUID keyId) {

        String resolve(String path, UUID orgId, UUID self) {
            return path.replace("{org}", orgId.toString())
                    .replace("{member}", memberId.toString())
                    .replace("{invitation}", invitationId.toString())
                    .replace("{key}", keyId.toString())
                    .replace("{self}", self.toString());
        }

        /** Everything an owner sees of the organization. */
        String snapshot() {
            String org = "/v1/orgs/" + owner.orgId();
            return String.join("\n", owner.client().get(org).body(), owner.client().get(org + "/members").body(),
                    owner.client().get(org + "/invitations").body(), owner.client().get(org + "/api-keys").body(),
                    owner.client().get(org + "/allowed-origins").body());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("orgScopedEndpoints")
    void givenOtherOrganizationsUserOrKey_whenCallingEndpointOfThisOrganization_thenNotFoundAndNothingChanges(
            Endpoint endpoint) {
        assertNotFoundAndTargetUnchanged(endpoint, target.resolve(endpoint.path(), target.owner().orgId(),
                attacker.userId()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpointsNamingAResource")
    void givenResourceIdOfAnotherOrganization_whenCallingThroughOwnOrganization_thenNotFoundAndNothingChanges(
            Endpoint endpoint) {
        String path = target.resolve(endpoint.path(), attacker.orgId(), attacker.userId());
        if (!managesPeople(endpoint)) {
            assertNotFoundAndTargetUnchanged(endpoint, path);
            return;
        }
        // People are managed in the console only: the attacker's own key is refused before any id is
        // looked at, with the same answer for the target's id as for an id that names nothing.
        String before = target.snapshot();
        assertThatProblem(attacker.client().call(endpoint.method(), path, endpoint.body())).hasStatus(404)
                .hasType("/problems/not-found");
        ApiClient key = attackerClients.get(1);
        ApiClient.Response forTarget = key.call(endpoint.method(), path, endpoint.body());
        ApiClient.Response forNothing = key.call(endpoint.method(), path.replaceAll(
                "[0-9a-f-]{36}$", UUID.randomUUID().toString()), endpoint.body());
        assertThatProblem(forTarget).hasStatus(403).hasType("/problems/forbidden");
        assertThat(forTarget.json().get("detail")).isEqualTo(forNothing.json().get("detail"));
        assertThat(target.snapshot()).isEqualTo(before);
    }

    private static boolean managesPeople(Endpoint endpoint) {
        return endpoint.path().contains("/members/") || endpoint.path().contains("/invitations/");
    }

    private void assertNotFoundAndTargetUnchanged(Endpoint endpoint, String path) {
        String before = target.snapshot();

        for (ApiClient caller : attackerClients) {
            Reliability.routeIdentityChecked();
            assertThatProblem(caller.call(endpoint.method(), path, endpoint.body())).hasStatus(404)
                    .hasType("/problems/not-found");
        }

        assertThat(target.snapshot()).isEqualTo(before);
    }
}
