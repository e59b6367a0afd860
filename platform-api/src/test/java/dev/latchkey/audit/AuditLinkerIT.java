package dev.latchkey.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.SecondInstance;
import dev.latchkey.support.TestInfrastructure;
import tools.jackson.databind.JsonNode;

/**
 * The audit chain is linked by one leader off the request path: events are visible (unlinked)
 * as soon as their action commits, another instance takes over when the leader goes, and signed
 * checkpoints catch history that someone with the database's logins rewrote and re-hashed.
 */
class AuditLinkerIT extends IntegrationTest {

    private static final String VERIFY = "/v1/admin/audit-events/verify";

    @Test
    void givenTheLinkerHeldUp_whenAnActionIsAudited_thenReviewersSeeItPendingAndVerificationReportsTheLag()
            throws SQLException {
        SignedUp owner = signUp();
        awaitAuditLinked();
        String renamed = "/v1/orgs/" + owner.orgId() + "/audit-events?action=organization.renamed";

        try (Connection holder = TestInfrastructure.get().connect(); Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("SELECT 1 FROM audit_chain_head WHERE id = 1 FOR UPDATE");
            assertThat(owner.client().patch("/v1/orgs/" + owner.orgId(), Map.of("name", "Pending Co")).status())
                    .isEqualTo(200);

            JsonNode pending = owner.client().get(renamed).json().get("items").get(0);
            assertThat(pending.get("linked").asBoolean()).isFalse();
            assertThat(pending.get("seq").isNull()).isTrue();
            assertThat(pending.get("details").get("to").asString()).isEqualTo("Pending Co");
            JsonNode verification = verify();
            assertThat(verification.get("pending_rows").asLong()).isPositive();
            assertThat(verification.get("oldest_pending_seconds").asDouble()).isGreaterThanOrEqualTo(0);
            holder.rollback();
        }

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode linked = owner.client().get(renamed).json().get("items").get(0);
            assertThat(linked.get("linked").asBoolean()).isTrue();
            assertThat(linked.get("seq").asLong()).isPositive();
        });
    }

    @Test
    void givenTheLeaderGoesAway_whenEventsAreRecorded_thenAnotherInstanceLinksThemAndTheChainStaysIntact()
            throws SQLException {
        try (SecondInstance standby = SecondInstance.start(Map.of("latchkey.audit.leader-retry", "100ms"))) {
            // The current leader loses its connection (as when its instance dies); the standby, asking
            // ten times as often, takes the lock first.
            terminateLeaderConnection();
            await().atMost(Duration.ofSeconds(10)).until(() -> leads(standby.client()));
            SignedUp owner = signUp();
            awaitAuditLinked();
            assertThat(owner.client().get("/v1/orgs/" + owner.orgId() + "/audit-events").json().get("items"))
                    .allSatisfy(event -> assertThat(event.get("linked").asBoolean()).isTrue());
        }
        // The standby stopped: the lock went with its connection, and this instance leads again.
        SignedUp later = signUp();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(later.client().get("/v1/orgs/" + later.orgId() + "/audit-events").json().get("items"))
                        .allSatisfy(event -> assertThat(event.get("linked").asBoolean()).isTrue()));
        assertThat(verify().get("intact").asBoolean()).isTrue();
    }

    @Test
    void givenAStandby_whenItsOwnActionsAreAudited_thenItKeepsWaitingOnOneConnectionInsteadOfReconnecting()
            throws SQLException {
        // Other instances of the run (SecondInstanceExtension's) may be standbys too.
        int othersWaiting = standbyLinkerConnections().size();
        try (SecondInstance standby = SecondInstance.start(Map.of("latchkey.audit.leader-retry", "100ms"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> standbyLinkerConnections().size() == othersWaiting + 1);
            Set<Integer> waiting = standbyLinkerConnections();

            SignedUp owner = signUp(standby.client());
            owner.client().patch("/v1/orgs/" + owner.orgId(), Map.of("name", "Standby Co"));
            awaitAuditLinked();

            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> standbyLinkerConnections().equals(waiting));
            assertThat(leads(standby.client())).isFalse();
        }
    }

    @Test
    void givenHistoryRewrittenAndRehashedWithTheDatabaseLogins_whenVerified_thenTheSignedCheckpointCatchesIt()
            throws SQLException {
        SignedUp owner = signUp();
        awaitAuditLinked();
        long target = AuditTable.lastSeq();
        await().atMost(Duration.ofSeconds(10)).until(() -> checkpointAtOrAfter(target));
        AuditTable.Snapshot original = AuditTable.snapshot(target);
        try {
            AuditTable.rechainFrom(target, "UPDATE audit_events SET actor_id = 'someone-else' WHERE seq = " + target);
            JsonNode verification = verify();
            assertThat(verification.get("intact").asBoolean()).isFalse();
            assertThat(verification.get("reason").asString()).contains("checkpoint").contains("rewritten");
        } finally {
            AuditTable.restore(original);
            AuditTable.rechainFrom(target);
            deleteCheckpointsSignedAfterTheRewrite(target);
        }
        assertThat(verify().get("intact").asBoolean()).isTrue();
        assertThat(owner.orgId()).isNotNull();
    }

    private JsonNode verify() {
        ApiClient admin = platformAdmin();
        ApiClient.Response response = admin.post(VERIFY, null);
        if (response.status() == 405) {
            response = admin.get(VERIFY);
        }
        return response.json();
    }

    /** Backend pids of linker connections that do not hold the leader's lock: the standbys'. */
    private static Set<Integer> standbyLinkerConnections() throws SQLException {
        Set<Integer> pids = new HashSet<>();
        try (Connection connection = TestInfrastructure.get().connect(); Statement statement = connection.createStatement();
                var rs = statement.executeQuery("""
                        SELECT a.pid FROM pg_stat_activity a
                        WHERE a.application_name = 'latchkey audit linker' AND a.datname = current_database()
                          AND NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory')""")) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        }
        return pids;
    }

    private static boolean leads(ApiClient instance) {
        return instance.get("/actuator/prometheus").body().lines()
                .anyMatch(line -> line.startsWith("latchkey_audit_linker_leader") && line.trim().endsWith(" 1.0"));
    }

    private static void terminateLeaderConnection() throws SQLException {
        try (Connection connection = TestInfrastructure.get().connect(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
                    WHERE l.locktype = 'advisory' AND a.application_name = 'latchkey audit linker'
                      AND a.datname = current_database()""");
        }
    }

    private static boolean checkpointAtOrAfter(long seq) throws SQLException {
        try (Connection connection = TestInfrastructure.get().connect(); Statement statement = connection.createStatement();
                var rs = statement.executeQuery("SELECT count(*) FROM audit_checkpoints WHERE seq >= " + seq)) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    /** Checkpoints the linker signed over the rewritten chain would fail now that it is put back. */
    private static void deleteCheckpointsSignedAfterTheRewrite(long seq) throws SQLException {
        try (Connection connection = TestInfrastructure.get().connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_no_update_delete");
            statement.execute("DELETE FROM audit_checkpoints c WHERE c.seq >= " + seq + " AND c.hash <> (SELECT e.hash"
                    + " FROM audit_events e WHERE e.seq = c.seq)");
            statement.execute("ALTER TABLE audit_checkpoints ENABLE TRIGGER audit_checkpoints_no_update_delete");
            connection.commit();
        }
    }
}
