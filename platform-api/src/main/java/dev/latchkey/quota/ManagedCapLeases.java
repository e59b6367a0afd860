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
 * The monthly cap of managed credentials, exact across instances, without a database round trip
 * per request: this instance leases a block of a credential's month (one statement, counted as
 * used at once in {@code managed_cap_counters}, migration V12) and hands units out from memory;
 * near the cap a lease is exactly one request's quantity, so the platform's requests through a
 * credential never exceed its cap, whatever the number of instances. A lease is taken from until
 * {@code ttl - settle-margin} (the margin outlasts an upstream call), then returned with the units
 * it did not hand out or that requests gave back (their work failed, or their commit refused them).
 * The leases of an instance that died are never returned: their units stay counted, so the cap
 * errs on the safe side by at most one block, and the rows go once they have expired.
 */
@Component
class ManagedCapLeases extends Leases<UUID> {

    private static final Logger log = LoggerFactory.getLogger(ManagedCapLeases.class);

    private final JdbcClient jdbc;
    private final String instanceId;

    ManagedCapLeases(JdbcClient jdbc, Clock clock, InstanceIdentity instance, QuotaProperties settings) {
        super(clock, settings.lease(), "leases of managed credentials' caps", "they stay counted");
        this.jdbc = jdbc;
        this.instanceId = instance.id();
    }

    /** {@code quantity} of the credential's month for one request, or empty when the cap is reached. */
    Optional<ManagedGrant> take(UUID credentialId, long quantity) {
        return takeUnits(credentialId, quantity).map(leaseId -> new ManagedGrant(leaseId, credentialId, quantity));
    }

    @Override
    protected long acquire(UUID id, UUID credentialId, long quantity, Instant now, Instant expires) {
        return jdbc.sql("SELECT latchkey_managed_lease(:id, :credential, :instance, :quantity, :block,"
                + " :exactBelow, :now, :expires)")
                .param("id", id).param("credential", credentialId).param("instance", instanceId)
                .param("quantity", quantity).param("block", maxSize).param("exactBelow", exactBelow)
                .param("now", Timestamp.from(now)).param("expires", Timestamp.from(expires))
                .query(Long.class).single();
    }

    @Override
    protected void release(UUID[] ids, Long[] unused) {
        jdbc.sql("SELECT latchkey_return_managed_leases(:ids, :unused)").param("ids", ids).param("unused", unused)
                .query().singleRow();
    }

    /** The rows of expired leases: an instance that died never returned them (their units stay counted). */
    @Override
    protected void sweepExpired() {
        int swept = jdbc.sql("DELETE FROM managed_cap_leases WHERE expires_at <= :now")
                .param("now", Timestamp.from(clock.instant())).update();
        if (swept > 0) {
            log.info("Swept {} expired leases of managed credentials' caps", swept);
        }
    }
}
