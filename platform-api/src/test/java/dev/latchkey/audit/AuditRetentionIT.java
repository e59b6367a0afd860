package dev.latchkey.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.TestInfrastructure;
import tools.jackson.databind.JsonNode;

/**
 * Retention prunes old events without breaking tamper evidence: the database lets audit rows go
 * only through the sealed retention path, and verification continues from the seal.
 */
class AuditRetentionIT extends IntegrationTest {

    private static final String VERIFY = "/v1/admin/audit-events/verify";

    @Autowired
    private AuditRetention retention;

    @Test
    void givenAnApplicationConnection_whenDeletingUpdatingOrTruncatingAuditRows_thenTheDatabaseRefuses()
            throws SQLException {
        issueApiKey(signUp(), "usage:read");
        long seq = AuditTable.lastSeq();

        assertThat(AuditTable.refusal("DELETE FROM audit_events WHERE seq = " + seq))
                .contains("append-only");
        assertThat(AuditTable.refusal("UPDATE audit_events SET action = 'x' WHERE seq = " + seq))
                .contains("append-only");
        assertThat(AuditTable.refusal("TRUNCATE audit_events")).contains("append-only");
        assertThat(AuditTable.refusal("SET LOCAL latchkey.audit_retention = 'on'",
                "UPDATE audit_events SET action = 'x' WHERE seq = " + seq)).contains("append-only");
        assertThat(AuditTable.refusal("TRUNCATE audit_seals")).contains("append-only");
    }

    @Test
    void givenTheRetentionSettingButNoSealCoveringTheRow_whenDeleting_thenTheDatabaseRefuses() throws SQLException {
        issueApiKey(signUp(), "usage:read");
        long seq = AuditTable.lastSeq();

        assertThat(AuditTable.refusal("SET LOCAL latchkey.audit_retention = 'on'",
                "DELETE FROM audit_events WHERE seq = " + seq))
                .contains("sealed rows older than the retention");
        assertThat(AuditTable.refusal("SET LOCAL latchkey.audit_retention = 'on'",
                "INSERT INTO audit_seals (seq, hash, first_seq, occurred_before, sealed_at)"
                        + " VALUES (" + seq + ", 'x', 1, now() - interval '10 years', now())",
                "DELETE FROM audit_events WHERE seq = " + seq))
                .as("a seal whose cutoff is older than the row").contains("sealed rows older");
    }

    @Test
    void givenEventsOlderThanTheCutoff_whenPruned_thenTheyAreGoneSealedAttestedAndTheChainStillVerifies()
            throws SQLException {
        SignedUp owner = signUp();
        IssuedKey old = issueApiKey(owner, "usage:read");
        long lastOld = AuditTable.lastSeq();
        Instant cutoff = occurredAt(lastOld).plus(1, ChronoUnit.MICROS);
        IssuedKey recent = issueApiKey(owner, "usage:read");

        long pruned = retention.prune(cutoff);

        assertThat(pruned).isGreaterThanOrEqualTo(3); // at least this test's signup, org and first key
        List<String> remaining = owner.client().get("/v1/orgs/" + owner.orgId() + "/audit-events").json()
                .get("items").valueStream().map(event -> event.get("target_id").asString("")).toList();
        assertThat(remaining).contains(recent.id().toString()).doesNotContain(old.id().toString());
        JsonNode verification = platformAdmin().post(VERIFY, null).json();
        assertThat(verification.get("intact").asBoolean()).as("%s", verification).isTrue();
        assertThat(verification.get("anchor_seq").asLong()).isEqualTo(lastOld);
        JsonNode attestation = platformAdmin().get("/v1/admin/audit-events?action=audit.retention_pruned&limit=1")
                .json().get("items").get(0);
        assertThat(attestation.get("actor_type").asString()).isEqualTo("system");
        assertThat(attestation.get("details").get("through_seq").asString()).isEqualTo(Long.toString(lastOld));
        assertThat(attestation.get("details").get("anchor_hash").asString()).isEqualTo(sealedHash(lastOld));
        assertThat(retention.prune(cutoff)).as("a second run with the same cutoff").isZero();
    }

    @Test
    void givenAPruneWhoseAttestationIsNotLinkedYet_whenVerified_thenTheChainIsIntactWithTheAttestationPending()
            throws SQLException {
        SignedUp owner = signUp();
        long lastOld = AuditTable.lastSeq();
        try (Connection holder = TestInfrastructure.get().connect(); Statement statement = holder.createStatement()) {
            // The linker cannot move the head while this is held: the attestation stays pending.
            holder.setAutoCommit(false);
            statement.execute("SELECT 1 FROM audit_chain_head WHERE id = 1 FOR UPDATE");
            retention.prune(occurredAt(lastOld).plus(1, ChronoUnit.MICROS));

            JsonNode verification = platformAdmin().post(VERIFY, null).json();

            assertThat(verification.get("intact").asBoolean()).as("%s", verification).isTrue();
            assertThat(verification.get("anchor_seq").asLong()).isEqualTo(lastOld);
            assertThat(verification.get("pending_rows").asLong()).isPositive();
            holder.rollback();
        }
        awaitAuditLinked();
        assertThat(platformAdmin().post(VERIFY, null).json().get("intact").asBoolean()).isTrue();
        assertThat(owner.orgId()).isNotNull();
    }

    @Test
    void givenAPrunedLog_whenTheFirstRowAfterTheSealIsChanged_thenVerificationFromTheAnchorNamesIt()
            throws SQLException {
        SignedUp owner = signUp();
        long lastOld = AuditTable.lastSeq();
        retention.prune(occurredAt(lastOld).plus(1, ChronoUnit.MICROS));
        long firstKept = lastOld + 1;
        issueApiKey(owner, "usage:read");
        AuditTable.Snapshot original = AuditTable.snapshot(firstKept);
        try {
            AuditTable.tamper("UPDATE audit_events SET details = '{}'::jsonb WHERE seq = " + firstKept);

            JsonNode verification = platformAdmin().post(VERIFY, null).json();

            assertThat(verification.get("intact").asBoolean()).isFalse();
            assertThat(verification.get("anchor_seq").asLong()).isEqualTo(lastOld);
            assertThat(verification.get("first_broken_seq").asLong()).isEqualTo(firstKept);
        } finally {
            AuditTable.restore(original);
        }
        assertThat(platformAdmin().post(VERIFY, null).json().get("intact").asBoolean()).isTrue();
    }

    @Test
    void givenATamperedRowAmongTheExpiredOnes_whenPruning_thenNothingIsSealedOrDeleted() throws SQLException {
        issueApiKey(signUp(), "usage:read");
        long tampered = AuditTable.lastSeq();
        issueApiKey(signUp(), "usage:read");
        long lastOld = AuditTable.lastSeq();
        long rowsBefore = AuditTable.count();
        AuditTable.Snapshot original = AuditTable.snapshot(tampered);
        try {
            AuditTable.tamper("UPDATE audit_events SET action = 'forged' WHERE seq = " + tampered);

            assertThat(retention.prune(occurredAt(lastOld).plus(1, ChronoUnit.MICROS))).isZero();

            assertThat(AuditTable.count()).isEqualTo(rowsBefore);
        } finally {
            AuditTable.restore(original);
        }
        assertThat(platformAdmin().post(VERIFY, null).json().get("intact").asBoolean()).isTrue();
    }

    private static Instant occurredAt(long seq) throws SQLException {
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT occurred_at FROM audit_events WHERE seq = ?")) {
            statement.setLong(1, seq);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    private static String sealedHash(long seq) throws SQLException {
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement statement = connection.prepareStatement("SELECT hash FROM audit_seals WHERE seq = ?")) {
            statement.setLong(1, seq);
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).as("a seal at seq %d", seq).isTrue();
                return rs.getString(1);
            }
        }
    }
}
