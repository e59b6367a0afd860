package dev.latchkey.apikeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
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
import dev.latchkey.support.TestInfrastructure;
import tools.jackson.databind.JsonNode;

/**
 * Keys capped at their creator's role hold on every instance: a demotion on one reaches a key
 * cached by the other within a second, and an instance that starts brings keys made before the
 * cap (or changed behind the application's back) into line before it serves anything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyCapsAcrossInstancesIT extends IntegrationTest {

    private SecondInstance secondInstance;
    private SignedUp team;
    private IssuedKey developersAdminKey;
    private IssuedKey leaversKey;
    private IssuedKey keyWithoutCreator;
    private IssuedKey consistentKey;

    @BeforeAll
    void keysOutOfLineThenASecondInstanceStarts() throws SQLException {
        team = signUp();
        SignedUp developer = signUpMemberOf(team, "developer");
        SignedUp leaver = signUpMemberOf(team, "developer");
        // As the escalation of the security review left them: a developer's admin key.
        developersAdminKey = issueApiKey(team, "admin", "tokens:mint");
        execute("UPDATE api_keys SET created_by = ? WHERE id = ?", developer.userId(), developersAdminKey.id());
        // A member gone without their keys being touched (removed while no capping code ran).
        leaversKey = issueApiKey(leaver, team.orgId(), "tokens:mint");
        execute("DELETE FROM memberships WHERE user_id = ? AND org_id = ?", leaver.userId(), team.orgId());
        // A key made by a key before creators were recorded, its origin no longer in the audit log.
        keyWithoutCreator = issueApiKey(team, "usage:read");
        execute("UPDATE api_keys SET created_by = NULL WHERE id = ?", keyWithoutCreator.id());
        consistentKey = issueApiKey(developer, team.orgId(), "tokens:mint", "usage:read");

        secondInstance = SecondInstance.start();
    }

    @AfterAll
    void stopSecondInstance() {
        secondInstance.close();
    }

    @Test
    void givenKeysBeyondTheirCreatorsRole_whenAnInstanceStarts_thenItCapsOrRevokesThemAsTheSystemWithAuditEvents() {
        assertThat(scopes(key(developersAdminKey.id()))).containsExactly("tokens:mint");
        assertThat(key(leaversKey.id()).get("revoked_at").isNull()).isFalse();
        assertThat(key(keyWithoutCreator.id()).get("revoked_at").isNull()).isFalse();
        assertThat(scopes(key(consistentKey.id()))).containsExactly("tokens:mint", "usage:read");
        ApiClient onSecond = secondInstance.client();
        assertThat(onSecond.bearer(leaversKey.key()).get("/v1/orgs/" + team.orgId()).status()).isEqualTo(401);

        JsonNode reduced = onlyEvent("api_key.scopes_reduced", developersAdminKey.id());
        assertThat(reduced.get("actor_type").asString()).isEqualTo("system");
        assertThat(reduced.get("details").get("removed_scopes").asString()).isEqualTo("admin");
        assertThat(onlyEvent("api_key.revoked", leaversKey.id()).get("details").get("reason").asString())
                .isEqualTo("creator_removed");
        assertThat(onlyEvent("api_key.revoked", keyWithoutCreator.id()).get("details").get("reason").asString())
                .isEqualTo("creator_unknown");
    }

    @Test
    void givenAdminsKeyCachedOnTheSecondInstance_whenTheAdminIsDemotedOnTheFirst_thenItLosesAdminThereWithinOneSecond() {
        SignedUp admin = signUpMemberOf(team, "admin");
        ApiClient onSecond = secondInstance.client().bearer(issueApiKey(admin, team.orgId(), "admin", "usage:read").key());
        String keysPath = "/v1/orgs/" + team.orgId() + "/api-keys";
        assertThat(onSecond.get(keysPath).status()).as("verified and cached on the second instance").isEqualTo(200);
        // The refusal's own path warmed up too, so that the wait below measures the propagation alone.
        assertThat(secondInstance.client().bearer(createApiKey(team, "usage:read")).get(keysPath).status())
                .isEqualTo(403);

        assertThat(team.client().patch("/v1/orgs/" + team.orgId() + "/members/" + admin.userId(),
                Map.of("role", "viewer")).status()).isEqualTo(200);
        long demotedAt = System.nanoTime();

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> onSecond.get(keysPath).status() == 403);
        assertThat(Duration.ofNanos(System.nanoTime() - demotedAt)).isLessThan(Duration.ofSeconds(1));
        assertThat(onSecond.get("/v1/orgs/" + team.orgId()).status()).as("usage:read kept").isEqualTo(200);
    }

    private JsonNode key(UUID keyId) {
        return team.client().get("/v1/orgs/" + team.orgId() + "/api-keys/" + keyId).json();
    }

    private static List<String> scopes(JsonNode key) {
        return key.get("scopes").valueStream().map(JsonNode::asString).sorted().toList();
    }

    private JsonNode onlyEvent(String action, UUID keyId) {
        List<JsonNode> events = team.client().get("/v1/orgs/" + team.orgId() + "/audit-events?action=" + action
                + "&target_id=" + keyId).json().get("items").valueStream().toList();
        assertThat(events).as(action + " of " + keyId).hasSize(1);
        return events.get(0);
    }

    private static void execute(String sql, Object... parameters) throws SQLException {
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
