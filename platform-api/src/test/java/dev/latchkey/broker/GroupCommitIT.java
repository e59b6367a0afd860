package dev.latchkey.broker;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.FakeUpstream.Stub;
import dev.latchkey.support.SecondInstance;
import dev.latchkey.support.TestInfrastructure;

/**
 * The group commit decides at commit time: a mint that waits in a batch while its key is revoked,
 * its organization suspended, its idempotency claim taken over or its lease expired gets nothing,
 * and nothing is billed. To hold a batch at a known point the test takes a row lock the commit
 * function needs, in a transaction of its own, and lets go once the change has committed.
 */
class GroupCommitIT extends BrokerTest {

    private static final Map<String, Object> LIVEKIT = Map.of("provider", "livekit", "room", "commit",
            "identity", "participant");
    private static final Map<String, Object> LIVEKIT_CREDENTIAL = Map.of("provider", "livekit", "label", "livekit",
            "secret", Map.of("api_secret", "group-commit-secret-0123456789"),
            "config", Map.of("api_key", "APIcommit", "url", "wss://commit.livekit.cloud"));

    @Test
    void givenAKeyRevokedWhileItsMintWaitsInABatch_whenTheBatchCommits_thenNoTokenIsIssuedAndNothingBilled()
            throws Exception {
        Tenant tenant = tenantWith(LIVEKIT_CREDENTIAL);
        assertThat(tenant.app().post("/v1/tokens", LIVEKIT).status()).as("the key is verified and cached").isEqualTo(200);
        String keyId = tenant.owner().client().get(tenant.path("/api-keys")).json().get("items").get(0).get("id")
                .asString();

        ApiClient.Response refused;
        try (Connection holder = allowanceLocked(tenant)) {
            CompletableFuture<ApiClient.Response> mint = CompletableFuture.supplyAsync(
                    () -> tenant.app().post("/v1/tokens", LIVEKIT));
            awaitCommitWaitingOnALock();
            assertThat(tenant.owner().client().delete(tenant.path("/api-keys/" + keyId)).status()).isEqualTo(204);
            holder.rollback();
            refused = mint.get(10, TimeUnit.SECONDS);
        }

        assertThatProblem(refused).hasStatus(401).hasType("/problems/invalid-api-key");
        assertThat(refused.body()).doesNotContain("\"token\"");
        assertThat(ledgerRows(tenant)).as("only the first mint is billed").isEqualTo(1);
    }

    @Test
    void givenAnOrganizationSuspendedWhileItsMintWaitsInABatch_whenTheBatchCommits_thenNoTokenIsIssued()
            throws Exception {
        Tenant tenant = tenantWith(LIVEKIT_CREDENTIAL);
        assertThat(tenant.app().post("/v1/tokens", LIVEKIT).status()).isEqualTo(200);

        ApiClient.Response refused;
        try (Connection holder = allowanceLocked(tenant)) {
            CompletableFuture<ApiClient.Response> mint = CompletableFuture.supplyAsync(
                    () -> tenant.app().post("/v1/tokens", LIVEKIT));
            awaitCommitWaitingOnALock();
            assertThat(platformAdmin().post("/v1/admin/orgs/" + tenant.owner().orgId() + "/suspend",
                    Map.of("reason", "suspended while a mint waits")).status()).isEqualTo(200);
            holder.rollback();
            refused = mint.get(10, TimeUnit.SECONDS);
        }

        assertThatProblem(refused).hasStatus(403).hasType("/problems/org-suspended");
        assertThat(ledgerRows(tenant)).isEqualTo(1);
    }

    @Test
    void givenAnIdempotencyClaimTakenOverWhileTheFirstRequestWaits_whenItCommits_thenItIsNotBilledTwice()
            throws Exception {
        Tenant tenant = tenantWith(LIVEKIT_CREDENTIAL);
        assertThat(tenant.app().post("/v1/tokens", LIVEKIT).status()).isEqualTo(200);

        ApiClient.Response first;
        try (Connection holder = allowanceLocked(tenant)) {
            CompletableFuture<ApiClient.Response> mint = CompletableFuture.supplyAsync(
                    () -> tenant.app().post("/v1/tokens", LIVEKIT, "Idempotency-Key", "taken-over"));
            awaitCommitWaitingOnALock();
            // Another request took the claim over (its in-progress timeout had passed) with another body.
            execute("UPDATE idempotency_keys SET request_fingerprint = 'another request' WHERE idempotency_key = 'taken-over'"
                    + " AND org_id = '" + tenant.owner().orgId() + "'");
            holder.rollback();
            first = mint.get(10, TimeUnit.SECONDS);
        }

        assertThatProblem(first).hasStatus(409).hasType("/problems/idempotency-key-in-use");
        assertThat(ledgerRows(tenant)).as("only the first mint, without a key").isEqualTo(1);
    }

    @Test
    void givenAProviderCallThatOutlivesItsLease_whenTheRequestCommits_thenNothingIsBilledBeyondTheLease() {
        Tenant tenant = tenantWith(openAiCredential("sk-test-group-commit-lease-0000000001"));
        setQuota(platformAdmin(), tenant.owner().orgId(), allowance(1));
        // Leases of one second, taken from for half of it; the provider answers after 1.5 s.
        try (SecondInstance shortLeases = SecondInstance.start(Map.of("latchkey.quota.lease.ttl", "1s",
                "latchkey.quota.lease.settle-margin", "500ms"))) {
            upstream.next("POST", "/openai/v1/realtime/client_secrets", new Stub(200, "{\"value\": \"ek_slow\", \"expires_at\": "
                    + (java.time.Instant.now().getEpochSecond() + 600) + ", \"session\": {\"type\": \"realtime\"}}",
                    "application/json", Duration.ofMillis(1500)));

            ApiClient.Response refused = shortLeases.client().bearer(tenant.appKey()).post("/v1/tokens",
                    Map.of("provider", "openai"));

            assertThatProblem(refused).hasStatus(503).hasType("/problems/unavailable");
            assertThat(refused.body()).doesNotContain("\"token\"");
        }
        assertThat(ledgerRows(tenant)).isZero();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(quotaUsed(tenant.owner())).as("the expired lease gave its unit back").isZero());
        assertThat(tenant.app().post("/v1/tokens", Map.of("provider", "openai")).status())
                .as("the one allowed event is still there").isEqualTo(200);
    }

    @Test
    void givenThePriceBookLockedByAnotherTransaction_whenMinting_thenTheLedgerRowIsWrittenWithoutWaitingForIt()
            throws Exception {
        Tenant tenant = tenantWith(LIVEKIT_CREDENTIAL);
        assertThat(tenant.app().post("/v1/tokens", LIVEKIT).status()).isEqualTo(200);

        try (Connection holder = lockedRow("SELECT 1 FROM price_book FOR UPDATE")) {
            ApiClient.Response minted = CompletableFuture.supplyAsync(() -> tenant.app().post("/v1/tokens", LIVEKIT))
                    .get(5, TimeUnit.SECONDS);
            assertThat(minted.status()).as("no foreign-key lock on the price row").isEqualTo(200);
            holder.rollback();
        }
        assertThat(ledgerRows(tenant)).isEqualTo(2);
    }

    @Test
    void givenManyConcurrentMints_whenTheyCommitTogether_thenEachHasItsOwnLedgerRowAndTheAllowanceIsExact() {
        Tenant tenant = tenantWith(LIVEKIT_CREDENTIAL);
        setQuota(platformAdmin(), tenant.owner().orgId(), allowance(40));

        List<Integer> statuses = concurrently(60, 30, i -> tenant.app().post("/v1/tokens", LIVEKIT).status());

        assertThat(statuses.stream().filter(status -> status == 200).count()).isEqualTo(40);
        assertThat(statuses.stream().filter(status -> status == 429).count()).isEqualTo(20);
        assertThat(ledgerRows(tenant)).isEqualTo(40);
        assertThat(quotaUsed(tenant.owner())).isEqualTo(40);
    }

    /**
     * A connection holding the organization's allowance counter and leases, in an open transaction:
     * a batch of its requests waits in the commit function (for a lease), or a request that needs a
     * new lease waits for the counter, until the test lets go.
     */
    private static Connection allowanceLocked(Tenant tenant) throws SQLException {
        Connection connection = lockedRow("SELECT 1 FROM allowance_counters WHERE org_id = '" + tenant.owner().orgId()
                + "' FOR UPDATE");
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1 FROM allowance_leases WHERE org_id = '" + tenant.owner().orgId() + "' FOR UPDATE");
        }
        return connection;
    }

    /** A connection holding the lock of {@code sql}, in an open transaction. */
    private static Connection lockedRow(String sql) throws SQLException {
        Connection connection = TestInfrastructure.get().connect();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        return connection;
    }

    private static void awaitCommitWaitingOnALock() {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> queryLong("""
                SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                  AND (query LIKE '%latchkey_commit%' OR query LIKE '%latchkey_lease%')""") > 0);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = TestInfrastructure.get().connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
