package dev.latchkey.audit;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Tamper evidence: whatever an attacker with database access changes in an audit row, or
 * removes, verification names the row. Each test puts the rows back, so the shared log stays
 * intact for every other test.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuditChainVerificationIT extends IntegrationTest {

    private static final String VERIFY = "/v1/admin/audit-events/verify";

    @Autowired
    private AuditChainMonitor monitor;
    @Autowired
    private ScheduledTaskHolder scheduledTasks;

    @AfterEach
    void theChainIsIntactAgain() {
        assertThat(platformAdmin().post(VERIFY, null).json().get("intact").asBoolean())
                .as("the test restored every row it touched").isTrue();
    }

    @Test
    void givenUntouchedLog_whenVerified_thenIntactWithEveryRowSinceTheAnchorChecked() throws SQLException {
        signUp();
        long rows = AuditTable.count();

        JsonNode verification = platformAdmin().post(VERIFY, null).json();

        assertThat(verification.get("intact").asBoolean()).isTrue();
        assertThat(verification.get("rows_checked").asLong()).isGreaterThanOrEqualTo(rows);
        assertThat(verification.get("last_seq").asLong()).isGreaterThanOrEqualTo(AuditTable.lastSeq() - 1);
        assertThat(verification.get("first_broken_seq").isNull()).isTrue();
        assertThat(verification.get("first_broken_id").isNull()).isTrue();
        assertThat(verification.get("reason").isNull()).isTrue();
    }

    static Stream<Arguments> tamperings() {
        return Stream.of(
                Arguments.of("action", "action = 'api_key.revoked'"),
                Arguments.of("actor", "actor_id = gen_random_uuid()::text"),
                Arguments.of("actor type", "actor_type = 'system'"),
                Arguments.of("organization", "org_id = gen_random_uuid()"),
                Arguments.of("target", "target_id = gen_random_uuid()::text"),
                Arguments.of("outcome", "outcome = 'failure'"),
                Arguments.of("ip", "ip = '198.51.100.66'"),
                Arguments.of("user agent", "user_agent = 'innocent/1.0'"),
                Arguments.of("request id", "request_id = 'req-forged'"),
                Arguments.of("details", "details = details || '{\"name\": \"forged\"}'::jsonb"),
                Arguments.of("time", "occurred_at = occurred_at - interval '1 day'"),
                Arguments.of("link", "prev_hash = repeat('0', 64)"),
                Arguments.of("hash", "hash = repeat('f', 64)"),
                Arguments.of("id", "id = gen_random_uuid()"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tamperings")
    void givenAnAuditRowChangedInTheDatabase_whenVerified_thenThatRowIsNamed(String what, String change)
            throws SQLException {
        SignedUp owner = signUp();
        issueApiKey(owner, "usage:read");
        long seq = AuditTable.lastSeq();
        issueApiKey(owner, "usage:read");
        AuditTable.Snapshot original = AuditTable.snapshot(seq);
        try {
            AuditTable.tamper("UPDATE audit_events SET " + change + " WHERE seq = " + seq);

            JsonNode verification = platformAdmin().post(VERIFY, null).json();

            assertThat(verification.get("intact").asBoolean()).isFalse();
            assertThat(verification.get("first_broken_seq").asLong()).isEqualTo(seq);
            if (!what.equals("id")) {
                assertThat(verification.get("first_broken_id").asString()).isEqualTo(original.id());
            }
            assertThat(verification.get("reason").asString()).isNotBlank();
        } finally {
            AuditTable.restore(original);
        }
    }

    @Test
    void givenAnAuditRowDeletedFromTheMiddle_whenVerified_thenTheRowAfterTheGapIsNamed() throws SQLException {
        SignedUp owner = signUp();
        issueApiKey(owner, "usage:read");
        long seq = AuditTable.lastSeq();
        issueApiKey(owner, "usage:read");
        AuditTable.Snapshot deleted = AuditTable.snapshot(seq);
        AuditTable.Snapshot next = AuditTable.snapshot(seq + 1);
        try {
            AuditTable.tamper("DELETE FROM audit_events WHERE seq = " + seq);

            JsonNode verification = platformAdmin().post(VERIFY, null).json();

            assertThat(verification.get("intact").asBoolean()).isFalse();
            assertThat(verification.get("first_broken_seq").asLong()).isEqualTo(seq + 1);
            assertThat(verification.get("first_broken_id").asString()).isEqualTo(next.id());
            assertThat(verification.get("reason").asString()).contains("seq " + seq).contains("missing");
        } finally {
            AuditTable.restore(deleted);
        }
    }

    @Test
    void givenTheLastAuditRowDeleted_whenVerified_thenTheMissingEndIsNamed() throws SQLException {
        issueApiKey(signUp(), "usage:read");
        long seq = AuditTable.lastSeq();
        AuditTable.Snapshot deleted = AuditTable.snapshot(seq);
        try {
            AuditTable.tamper("DELETE FROM audit_events WHERE seq = " + seq);

            JsonNode verification = monitorVerification();

            assertThat(verification.get("intact").asBoolean()).isFalse();
            assertThat(verification.get("first_broken_seq").asLong()).isEqualTo(seq);
            assertThat(verification.get("reason").asString()).contains("removed from its end");
        } finally {
            AuditTable.restore(deleted);
        }
    }

    @Test
    void givenABrokenChain_whenTheScheduledVerificationRuns_thenTheMetricIsRaisedAndAnErrorNamesTheRow(
            CapturedOutput output) throws SQLException {
        issueApiKey(signUp(), "usage:read");
        long seq = AuditTable.lastSeq();
        AuditTable.Snapshot original = AuditTable.snapshot(seq);
        try {
            AuditTable.tamper("UPDATE audit_events SET details = '{}'::jsonb WHERE seq = " + seq);

            monitor.verifyOnSchedule();

            assertThat(brokenGauge()).isEqualTo("1.0");
            assertThat(output.getAll()).containsPattern("ERROR.*AUDIT CHAIN BROKEN at seq " + seq + " \\(id "
                    + original.id() + "\\)");
        } finally {
            AuditTable.restore(original);
        }
        monitor.verifyOnSchedule();
        assertThat(brokenGauge()).isEqualTo("0.0");
    }

    @Test
    void givenTheApplication_whenStarted_thenChainVerificationIsScheduledAtTheConfiguredInterval() {
        assertThat(scheduledTasks.getScheduledTasks())
                .filteredOn(task -> task.getTask().toString().contains(AuditChainMonitor.class.getName()
                        + ".verifyOnSchedule"))
                .singleElement()
                .satisfies(task -> assertThat(((FixedDelayTask) task.getTask()).getIntervalDuration())
                        .isEqualTo(Duration.ofHours(1)));
    }

    @Test
    void givenAnAdminsBrowser_whenVerificationIsAGetOrAPostWithoutTheCsrfToken_thenNothingRuns()
            throws SQLException {
        long runs = AuditTable.count("audit.chain_verified");
        ApiClient admin = client();
        assertThat(admin.post("/v1/auth/login", Map.of("email", PLATFORM_ADMIN_EMAIL,
                "password", PLATFORM_ADMIN_PASSWORD)).status()).isEqualTo(200);

        assertThatProblem(admin.get(VERIFY)).hasStatus(405);
        assertThatProblem(admin.withoutCsrf().post(VERIFY, null)).hasStatus(403).hasType("/problems/csrf");

        assertThat(AuditTable.count("audit.chain_verified")).isEqualTo(runs);
    }

    @Test
    void givenVerification_whenAPlatformAdminRunsIt_thenTheRunIsRecordedInTheLog() {
        platformAdmin().post(VERIFY, null);

        JsonNode latest = platformAdmin().get("/v1/admin/audit-events?action=audit.chain_verified&limit=1").json()
                .get("items").get(0);
        assertThat(latest.get("outcome").asString()).isEqualTo("success");
        assertThat(Long.parseLong(latest.get("details").get("rows_checked").asString())).isPositive();
    }

    private JsonNode monitorVerification() {
        return platformAdmin().post(VERIFY, null).json();
    }

    /** The gauge as Prometheus scrapes it. */
    private String brokenGauge() {
        String metrics = client().get("/actuator/prometheus").body();
        return metrics.lines().filter(line -> line.matches("latchkey_audit_chain_broken(\\{.*})? .*"))
                .map(line -> line.substring(line.indexOf(' ') + 1).trim())
                .findFirst().orElseThrow(() -> new AssertionError("no latchkey_audit_chain_broken in " + metrics));
    }
}
