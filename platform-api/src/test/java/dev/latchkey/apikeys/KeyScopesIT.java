package dev.latchkey.apikeys;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.latchkey.kernel.Scope;
import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.TestInfrastructure;
import tools.jackson.databind.JsonNode;

/**
 * A key never holds more than its creator may do: a member grants only the scopes their own
 * role holds, a key grants only what its creator's current role holds, and a member who is
 * demoted or leaves takes from their keys what they lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyScopesIT extends IntegrationTest {

    private SignedUp owner;
    private Map<String, SignedUp> members;

    @BeforeAll
    void organizationWithAMemberOfEachRole() {
        owner = signUp();
        members = Map.of("owner", owner, "admin", signUpMemberOf(owner, "admin"),
                "developer", signUpMemberOf(owner, "developer"), "billing", signUpMemberOf(owner, "billing"),
                "viewer", signUpMemberOf(owner, "viewer"));
    }

    static Stream<Arguments> rolesAndScopes() {
        Map<String, Set<String>> grantable = Map.of(
                "owner", Set.of("tokens:mint", "sessions:mint", "rooms:write", "usage:read", "admin"),
                "admin", Set.of("tokens:mint", "sessions:mint", "rooms:write", "usage:read", "admin"),
                "developer", Set.of("tokens:mint", "sessions:mint", "rooms:write", "usage:read"),
                "billing", Set.of(),
                "viewer", Set.of());
        return grantable.entrySet().stream().flatMap(role -> Scope.names(EnumSet.allOf(Scope.class)).stream()
                .map(scope -> Arguments.of(role.getKey(), scope, role.getValue().contains(scope))));
    }

    @ParameterizedTest(name = "{0} creating a {1} key: allowed={2}")
    @MethodSource("rolesAndScopes")
    void givenMemberOfARole_whenCreatingAKeyWithAScope_thenOnlyScopesTheRoleHoldsAreGranted(String role, String scope,
            boolean allowed) {
        ApiClient.Response created = members.get(role).client().post(keysOf(owner),
                Map.of("name", role + " " + scope, "scopes", List.of(scope)));

        if (allowed) {
            assertThat(created.status()).as("%s", created).isEqualTo(201);
            assertThat(created.json().get("scopes").get(0).asString()).isEqualTo(scope);
        } else {
            assertThatProblem(created).hasStatus(403).hasType("/problems/forbidden");
            if (role.equals("developer")) {
                assertThat(created.json().get("detail").asString()).contains("'" + scope + "'").contains("developer");
                assertThatProblem(created).namesField("scopes");
            }
        }
    }

    @Test
    void givenDeveloper_whenCreatingAnAdminKey_thenForbiddenNamingTheScopeNothingCreatedAndTheDenialAudited() {
        SignedUp developer = members.get("developer");
        int keysBefore = allKeys().size();

        ApiClient.Response created = developer.client().post(keysOf(owner),
                Map.of("name", "ci", "scopes", List.of("tokens:mint", "admin")));

        assertThatProblem(created).hasStatus(403).hasType("/problems/forbidden").namesField("scopes");
        assertThat(created.json().get("detail").asString()).contains("'admin'");
        assertThat(allKeys()).hasSize(keysBefore);
        JsonNode denial = owner.client().get("/v1/orgs/" + owner.orgId() + "/audit-events?outcome=denied&actor="
                + developer.userId()).json().get("items").get(0);
        assertThat(denial.get("details").get("scope").asString()).isEqualTo("admin");
        assertThat(denial.get("details").get("reason").asString()).isEqualTo("scope_beyond_role");
    }

    @Test
    void givenOwnersAdminKey_whenADeveloperRotatesIt_thenForbiddenNamingTheScopeAndTheKeyWorksAsBefore() {
        IssuedKey ownersKey = issueApiKey(owner, "admin");

        ApiClient.Response rotated = members.get("developer").client().post(keysOf(owner) + "/" + ownersKey.id()
                + "/rotate", Map.of("grace_seconds", 0));

        assertThatProblem(rotated).hasStatus(403).hasType("/problems/forbidden");
        assertThat(rotated.json().get("detail").asString()).contains("rotate").contains("'admin'");
        assertThat(rotated.body()).doesNotContain("platform_");
        assertThat(client().bearer(ownersKey.key()).get(keysOf(owner)).status()).isEqualTo(200);
        assertThat(members.get("developer").client().post(keysOf(owner) + "/" + issueApiKey(owner, "tokens:mint").id()
                + "/rotate", Map.of("grace_seconds", 0)).status()).as("a key within the developer's role").isEqualTo(200);
    }

    @Test
    void givenAdminScopedKey_whenItCreatesKeys_thenTheyAreCappedAtAndAttributedToItsCreatorsCurrentRole() {
        SignedUp team = signUp();
        SignedUp admin = signUpMemberOf(team, "admin");
        ApiClient adminKey = client().bearer(issueApiKey(admin, team.orgId(), "admin").key());

        ApiClient.Response made = adminKey.post(keysOf(team), Map.of("name", "made by a key",
                "scopes", List.of("admin", "tokens:mint")));
        assertThat(made.status()).isEqualTo(201);
        assertThat(key(team, made.json().get("id").asString()).get("created_by").asString())
                .isEqualTo(admin.userId().toString());
        ApiClient childKey = client().bearer(made.json().get("key").asString());

        assertThat(team.client().patch(membersOf(team) + "/" + admin.userId(), Map.of("role", "developer")).status())
                .isEqualTo(200);

        // The admin key lost its only scope: revoked; the key it made keeps what a developer may hold.
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> adminKey.get("/v1/orgs/" + team.orgId()).status() == 401);
        assertThat(scopes(key(team, made.json().get("id").asString()))).containsExactly("tokens:mint");
        assertThatProblem(childKey.get(keysOf(team))).hasStatus(403);
        assertThatProblem(childKey.post(keysOf(team), Map.of("name", "again", "scopes", List.of("usage:read"))))
                .hasStatus(403);
    }

    @Test
    void givenAdminScopedKeyWhoseCreatorIsNowADeveloper_whenItCreatesAKey_thenOnlyTheDevelopersScopesAreGranted()
            throws SQLException {
        SignedUp team = signUp();
        SignedUp developer = signUpMemberOf(team, "developer");
        IssuedKey legacy = issueApiKey(team, "admin");
        // As a developer's admin key made before keys were capped would be.
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE api_keys SET created_by = ? WHERE id = ?")) {
            update.setObject(1, developer.userId());
            update.setObject(2, legacy.id());
            update.executeUpdate();
        }
        ApiClient legacyKey = client().bearer(legacy.key());

        ApiClient.Response refused = legacyKey.post(keysOf(team), Map.of("name", "n", "scopes", List.of("admin")));
        ApiClient.Response capped = legacyKey.post(keysOf(team), Map.of("name", "n", "scopes", List.of("tokens:mint")));

        assertThatProblem(refused).hasStatus(403).hasType("/problems/forbidden").namesField("scopes");
        assertThat(refused.json().get("detail").asString()).contains("creator (now developer)").contains("'admin'");
        assertThat(capped.status()).isEqualTo(201);
        assertThat(key(team, capped.json().get("id").asString()).get("created_by").asString())
                .isEqualTo(developer.userId().toString());
    }

    @Test
    void givenMemberWithKeys_whenDemoted_thenEachKeyLosesTheScopesTheNewRoleLacksOrIsRevokedWithAnAuditEvent() {
        SignedUp team = signUp();
        SignedUp admin = signUpMemberOf(team, "admin");
        IssuedKey adminOnly = issueApiKey(admin, team.orgId(), "admin");
        IssuedKey mixed = issueApiKey(admin, team.orgId(), "admin", "tokens:mint", "usage:read");
        IssuedKey reader = issueApiKey(admin, team.orgId(), "usage:read");
        ApiClient mixedApp = client().bearer(mixed.key());
        assertThat(mixedApp.get(keysOf(team)).status()).as("admin scope before").isEqualTo(200);

        assertThat(team.client().patch(membersOf(team) + "/" + admin.userId(), Map.of("role", "developer")).status())
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> mixedApp.get(keysOf(team)).status() == 403);
        assertThat(mixedApp.get("/v1/orgs/" + team.orgId()).status()).as("usage:read kept").isEqualTo(200);
        assertThat(key(team, adminOnly.id().toString()).get("revoked_at").isNull()).isFalse();
        assertThat(scopes(key(team, mixed.id().toString()))).containsExactly("tokens:mint", "usage:read");
        assertThat(scopes(key(team, reader.id().toString()))).containsExactly("usage:read");
        assertThat(client().bearer(reader.key()).get("/v1/orgs/" + team.orgId()).status()).isEqualTo(200);

        JsonNode reduced = onlyEvent(team, "api_key.scopes_reduced", mixed.id());
        assertThat(reduced.get("actor_id").asString()).isEqualTo(team.userId().toString());
        assertThat(reduced.get("details").get("removed_scopes").asString()).isEqualTo("admin");
        assertThat(reduced.get("details").get("creator_role").asString()).isEqualTo("developer");
        assertThat(reduced.get("details").get("reason").asString()).isEqualTo("creator_role_changed");
        assertThat(onlyEvent(team, "api_key.revoked", adminOnly.id()).get("details").get("reason").asString())
                .isEqualTo("creator_role_changed");
        assertThat(events(team, "api_key.*", reader.id())).extracting(e -> e.get("action").asString())
                .containsExactly("api_key.created");
    }

    @Test
    void givenMemberWithKeys_whenRemovedOrLeaving_thenEveryKeyTheyCreatedOrTheirKeysMadeIsRevokedWithAnAuditEvent() {
        SignedUp team = signUp();
        SignedUp removed = signUpMemberOf(team, "admin");
        SignedUp leaving = signUpMemberOf(team, "developer");
        IssuedKey removedsKey = issueApiKey(removed, team.orgId(), "admin");
        ApiClient.Response madeByKey = client().bearer(removedsKey.key()).post(keysOf(team),
                Map.of("name", "grandchild", "scopes", List.of("admin")));
        IssuedKey leaversKey = issueApiKey(leaving, team.orgId(), "tokens:mint", "usage:read");
        IssuedKey ownersKey = issueApiKey(team, team.orgId(), "usage:read");
        List<ApiClient> apps = List.of(client().bearer(removedsKey.key()),
                client().bearer(madeByKey.json().get("key").asString()), client().bearer(leaversKey.key()));
        apps.forEach(app -> assertThat(app.get("/v1/orgs/" + team.orgId()).status()).isEqualTo(200));

        assertThat(team.client().delete(membersOf(team) + "/" + removed.userId()).status()).isEqualTo(204);
        assertThat(leaving.client().delete(membersOf(team) + "/" + leaving.userId()).status()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> apps.stream().allMatch(app -> app.get("/v1/orgs/" + team.orgId()).status() == 401));
        assertThat(client().bearer(ownersKey.key()).get("/v1/orgs/" + team.orgId()).status()).isEqualTo(200);
        for (UUID keyId : List.of(removedsKey.id(), UUID.fromString(madeByKey.json().get("id").asString()))) {
            JsonNode revoked = onlyEvent(team, "api_key.revoked", keyId);
            assertThat(revoked.get("details").get("reason").asString()).isEqualTo("creator_removed");
            assertThat(revoked.get("actor_id").asString()).isEqualTo(team.userId().toString());
        }
        assertThat(onlyEvent(team, "api_key.revoked", leaversKey.id()).get("actor_id").asString())
                .isEqualTo(leaving.userId().toString());
    }

    private List<JsonNode> allKeys() {
        return owner.client().get(keysOf(owner) + "?limit=200").json().get("items").valueStream().toList();
    }

    private static JsonNode key(SignedUp team, String keyId) {
        ApiClient.Response key = team.client().get(keysOf(team) + "/" + keyId);
        assertThat(key.status()).isEqualTo(200);
        return key.json();
    }

    private static List<String> scopes(JsonNode key) {
        return key.get("scopes").valueStream().map(JsonNode::asString).sorted().toList();
    }

    private static List<JsonNode> events(SignedUp team, String action, UUID keyId) {
        return team.client().get("/v1/orgs/" + team.orgId() + "/audit-events?action=" + action + "&target_id=" + keyId)
                .json().get("items").valueStream().toList();
    }

    private static JsonNode onlyEvent(SignedUp team, String action, UUID keyId) {
        List<JsonNode> events = events(team, action, keyId);
        assertThat(events).as(action + " of " + keyId).hasSize(1);
        return events.get(0);
    }

    private static String keysOf(SignedUp team) {
        return "/v1/orgs/" + team.orgId() + "/api-keys";
    }

    private static String membersOf(SignedUp team) {
        return "/v1/orgs/" + team.orgId() + "/members";
    }
}
