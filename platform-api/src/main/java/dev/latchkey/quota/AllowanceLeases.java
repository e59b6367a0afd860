package dev.latchkey.quota;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.latchkey.changes.InstanceIdentity;

/**
 * Allowance for billable requests, taken before their work (a provider is never called for a
 * request that cannot be billed) without a database round trip: this instance leases a block of an organization's allowance (one statement, counted as
 * used at once in {@code allowance_counters}) and hands units out from memory. Each billed
 * request settles its unit against the lease in the group commit, which refuses it once the lease
 * has expired, so a lease never bills more than it holds. Near exhaustion a lease is exactly one
 * request's quantity ({@code exact-below}): no instance then sits on units another could use.
 * A lease is taken from until {@code ttl - settle-margin} (the margin outlasts an upstream call),
 * then returned with what it did not use; a dead instance's leases are returned by the others
 * once they have expired.
 */
@Component
class AllowanceLeases extends Leases<AllowanceLeases.Slot> {

    private static final Logger log = LoggerFactory.getLogger(AllowanceLeases.class);

    private final JdbcClient jdbc;
    private final String instanceId;

    AllowanceLeases(JdbcClient jdbc, Clock clock, InstanceIdentity instance, QuotaProperties settings) {
        super(clock, settings.lease(), "allowance leases", "they go back when they expire");
        this.jdbc = jdbc;
        this.instanceId = instance.id();
    }

    /** Every commit lane settles against leases of its own. */
    record Slot(UUID orgId, int lane) {
    }

    /**
     * Takes {@code quantity} of the organization's allowance for one request that will be
     * committed by commit lane {@code lane}.
     *
     * @return the lease it came from, or empty when the allowance is used up
     */
    Optional<AllowanceGrant> take(UUID orgId, long quantity, int lane) {
        return takeUnits(new Slot(orgId, lane), quantity).map(leaseId -> new AllowanceGrant(leaseId, orgId, quantity));
    }

    @Override
    protected long acquire(UUID id, Slot slot, long quantity, Instant now, Instant expires) {
        return jdbc.sql("SELECT latchkey_lease(:id, :orgId, :instance, :quantity, :cap, :exactBelow, :now, :expires)")
                .param("id", id).param("orgId", slot.orgId()).param("instance", instanceId).param("quantity", quantity)
                .param("cap", maxSize).param("exactBelow", exactBelow).param("now", Timestamp.from(now))
                .param("expires", Timestamp.from(expires))
                .query(Long.class).single();
    }

    /** The counter learns what a lease did not bill from the lease's row: {@code unused} is not needed. */
    @Override
    protected void release(UUID[] ids, Long[] unused) {
        jdbc.sql("SELECT latchkey_return_leases(:ids)").param("ids", ids).query().singleRow();
    }

    /** Returns the expired leases of any instance (one that died never returned its own). */
    @Override
    protected void sweepExpired() {
        long returned = jdbc.sql("""
                SELECT latchkey_return_leases(array(SELECT id FROM allowance_leases WHERE expires_at <= :now))""")
                .param("now", Timestamp.from(clock.instant())).query(Long.class).single();
        if (returned > 0) {
            log.info("Gave back {} units of allowance held by expired leases", returned);
        }
    }
}
