package dev.latchkey.quota;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.MeteredIntegrationTest;
import dev.latchkey.support.MutableClock;
import dev.latchkey.support.TestInfrastructure;

/**
 * Allowance leases: far from exhaustion an instance takes a block of the allowance and bills from
 * memory; near exhaustion every request gets an exact grant; what an instance that died had
 * leased comes back once its lease expires, and nothing is ever billed beyond the allowance.
 */
class AllowanceLeasesIT extends MeteredIntegrationTest {

    @Test
    void givenAnInstanceThatDiedHoldingALease_whenItsLeaseExpires_thenTheUnusedAllowanceComesBack()
            throws SQLException {
        SignedUp owner = signUp();
        addLiveKitCredential(owner);
        ApiClient app = client().bearer(createApiKey(owner, "tokens:mint"));
        setQuota(platformAdmin(), owner.orgId(), allowance(100));
        // An instance took 90 units with the same statement the application uses, then died.
        long leased = leaseAsDeadInstance(owner.orgId(), 90, Duration.ofSeconds(2));
        assertThat(leased).isEqualTo(90);

        List<Integer> statuses = concurrently(15, 5, i -> mintLiveKit(app, "before-" + i).status());

        assertThat(statuses.stream().filter(status -> status == 200).count())
                .as("only what the dead lease left").isEqualTo(10);
        assertThatProblem(mintLiveKit(app, "refused")).hasStatus(429).hasType("/problems/quota-exceeded");

        MutableClock.get().advance(Duration.ofSeconds(3));

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> mintLiveKit(app, "after").status() == 200);
        assertThat(queryLong("SELECT count(*) FROM allowance_leases WHERE instance_id = 'dead-instance'"))
                .as("the expired lease was returned").isZero();
        assertThat(ledgerRows(owner.orgId())).isEqualTo(11);
        assertThat(quotaUsed(owner)).isEqualTo(11);
    }

    @Test
    void givenAnAllowanceFarFromExhaustion_whenMinting_thenOneLeaseServesManyRequestsWithoutRoundTrips() {
        SignedUp owner = signUp();
        addLiveKitCredential(owner);
        ApiClient app = client().bearer(createApiKey(owner, "tokens:mint"));
        setQuota(platformAdmin(), owner.orgId(), allowance(1_000_000));

        for (int i = 0; i < 20; i++) {
            assertThat(mintLiveKit(app, "many-" + i).status()).isEqualTo(200);
        }

        assertThat(queryLong("SELECT count(*) FROM allowance_leases WHERE org_id = ?", owner.orgId()))
                .as("a lease for each commit lane, whatever the number of requests").isBetween(1L, 2L);
        assertThat(queryLong("SELECT sum(used) FROM allowance_leases WHERE org_id = ?", owner.orgId())).isEqualTo(20);
        assertThat(quotaUsed(owner)).as("the quota shows what was billed, not what was leased").isEqualTo(20);
    }

    @Test
    void givenAnAllowanceCloseToExhaustion_whenMinting_thenEachRequestGetsAnExactGrantAndNoneIsLeftLeased() {
        SignedUp owner = signUp();
        addLiveKitCredential(owner);
        ApiClient app = client().bearer(createApiKey(owner, "tokens:mint"));
        setQuota(platformAdmin(), owner.orgId(), allowance(5));

        List<Integer> statuses = concurrently(12, 6, i -> mintLiveKit(app, "exact-" + i).status());

        assertThat(statuses.stream().filter(status -> status == 200).count()).isEqualTo(5);
        assertThat(statuses.stream().filter(status -> status == 429).count()).isEqualTo(7);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                queryLong("SELECT count(*) FROM allowance_leases WHERE org_id = ?", owner.orgId()) == 0);
        assertThat(queryLong("SELECT used FROM allowance_counters WHERE org_id = ?", owner.orgId())).isEqualTo(5);
    }

    private static long leaseAsDeadInstance(UUID orgId, long quantity, Duration ttl) throws SQLException {
        Instant now = Instant.now();
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement lease = connection.prepareStatement(
                        "SELECT latchkey_lease(?, ?, 'dead-instance', ?, ?, 0, ?, ?)")) {
            lease.setObject(1, UUID.randomUUID());
            lease.setObject(2, orgId);
            lease.setLong(3, quantity);
            lease.setLong(4, quantity);
            lease.setTimestamp(5, Timestamp.from(now));
            lease.setTimestamp(6, Timestamp.from(now.plus(ttl)));
            try (ResultSet rs = lease.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
