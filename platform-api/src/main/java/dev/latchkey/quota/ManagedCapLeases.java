package dev.latchkey.quota;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
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
class ManagedCapLeases implements SmartLifecycle, SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(ManagedCapLeases.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final String instanceId;
    private final Duration ttl;
    private final Duration settleMargin;
    private final long block;
    private final long exactBelow;
    private final Duration sweepInterval;
    private final Map<UUID, Lease> current = new ConcurrentHashMap<>();
    private final Map<UUID, Lease> byId = new ConcurrentHashMap<>();
    private final ReentrantLock leasing = new ReentrantLock();
    private volatile boolean running;

    ManagedCapLeases(JdbcClient jdbc, Clock clock, InstanceIdentity instance, QuotaProperties settings) {
        QuotaProperties.Lease lease = settings.lease();
        this.jdbc = jdbc;
        this.clock = clock;
        this.instanceId = instance.id();
        this.ttl = lease.ttl();
        this.settleMargin = lease.settleMargin();
        this.block = lease.maxSize();
        this.exactBelow = lease.exactBelow();
        this.sweepInterval = lease.sweepInterval();
    }

    /** One lease as this instance holds it: what it handed out (net of what came back) and what is in flight. */
    private static final class Lease {
        final UUID id;
        final UUID credentialId;
        final BillingPeriod period;
        final long quantity;
        final Instant takeUntil;
        private long handedOut;
        private int inFlight;
        private boolean retired;

        Lease(UUID id, UUID credentialId, BillingPeriod period, long quantity, Instant takeUntil) {
            this.id = id;
            this.credentialId = credentialId;
            this.period = period;
            this.quantity = quantity;
            this.takeUntil = takeUntil;
        }

        synchronized boolean tryTake(long units, Instant now) {
            if (retired || !now.isBefore(takeUntil) || !period.equals(BillingPeriod.containing(now))
                    || handedOut + units > quantity) {
                return false;
            }
            handedOut += units;
            inFlight++;
            return true;
        }

        synchronized void giveBack(long units) {
            handedOut -= units;
            inFlight--;
        }

        synchronized void settled() {
            inFlight--;
        }

        synchronized void retire() {
            retired = true;
        }

        synchronized boolean done(Instant now) {
            if (!retired && (!now.isBefore(takeUntil) || handedOut >= quantity)) {
                retired = true;
            }
            return retired && inFlight == 0;
        }

        synchronized long unused() {
            return quantity - handedOut;
        }
    }

    /** {@code quantity} of the credential's month for one request, or empty when the cap is reached. */
    Optional<ManagedGrant> take(UUID credentialId, long quantity) {
        Instant now = clock.instant();
        Lease lease = current.get(credentialId);
        if (lease != null && lease.tryTake(quantity, now)) {
            return Optional.of(new ManagedGrant(lease.id, credentialId, quantity));
        }
        leasing.lock();
        try {
            lease = current.get(credentialId);
            if (lease != null && lease.tryTake(quantity, now)) {
                return Optional.of(new ManagedGrant(lease.id, credentialId, quantity));
            }
            if (lease != null) {
                lease.retire();
                current.remove(credentialId, lease);
            }
            Lease fresh = acquire(credentialId, quantity, now);
            if (fresh == null) {
                return Optional.empty();
            }
            byId.put(fresh.id, fresh);
            fresh.tryTake(quantity, now);
            if (fresh.quantity > quantity) {
                current.put(credentialId, fresh);
            } else {
                fresh.retire(); // an exact grant: this request's alone
            }
            return Optional.of(new ManagedGrant(fresh.id, credentialId, quantity));
        } finally {
            leasing.unlock();
        }
    }

    /** The request billed nothing: its units may serve another; an exact grant goes back at once. */
    void giveBack(ManagedGrant grant) {
        Lease lease = byId.get(grant.leaseId());
        if (lease == null) {
            return;
        }
        lease.giveBack(grant.quantity());
        if (lease.quantity == grant.quantity() && lease.done(clock.instant())) {
            try {
                returnLeases(List.of(lease));
            } catch (RuntimeException e) {
                log.warn("Could not return an unused exact grant of a managed credential's cap at once;"
                        + " it goes back within a second");
            }
        }
    }

    void settled(ManagedGrant grant) {
        Lease lease = byId.get(grant.leaseId());
        if (lease != null) {
            lease.settled();
        }
    }

    private Lease acquire(UUID credentialId, long quantity, Instant now) {
        UUID id = UUID.randomUUID();
        Instant expires = now.plus(ttl);
        long size = jdbc.sql("SELECT latchkey_managed_lease(:id, :credential, :instance, :quantity, :block,"
                + " :exactBelow, :now, :expires)")
                .param("id", id).param("credential", credentialId).param("instance", instanceId)
                .param("quantity", quantity).param("block", block).param("exactBelow", exactBelow)
                .param("now", Timestamp.from(now)).param("expires", Timestamp.from(expires))
                .query(Long.class).single();
        return size == 0 ? null : new Lease(id, credentialId, BillingPeriod.containing(now), size,
                expires.minus(settleMargin));
    }

    /** Returns this instance's leases that are done, with what they did not hand out. */
    @Scheduled(fixedDelay = 500)
    void returnDone() {
        Instant now = clock.instant();
        List<Lease> done = new ArrayList<>();
        for (Lease lease : byId.values()) {
            if (lease.done(now)) {
                done.add(lease);
            }
        }
        if (!done.isEmpty()) {
            returnLeases(done);
        }
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::sweepExpired, sweepInterval);
    }

    /** The rows of expired leases: an instance that died never returned them (their units stay counted). */
    void sweepExpired() {
        int swept = jdbc.sql("DELETE FROM managed_cap_leases WHERE expires_at <= :now")
                .param("now", Timestamp.from(clock.instant())).update();
        if (swept > 0) {
            log.info("Swept {} expired leases of managed credentials' caps", swept);
        }
    }

    private void returnLeases(List<Lease> leases) {
        UUID[] ids = leases.stream().map(lease -> lease.id).toArray(UUID[]::new);
        Long[] unused = leases.stream().map(Lease::unused).toArray(Long[]::new);
        jdbc.sql("SELECT latchkey_return_managed_leases(:ids, :unused)").param("ids", ids).param("unused", unused)
                .query().singleRow();
        for (Lease lease : leases) {
            byId.remove(lease.id);
            current.remove(lease.credentialId, lease);
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /** On shutdown, after the committer has settled what it could: every idle lease goes back. */
    @Override
    public void stop() {
        running = false;
        byId.values().forEach(Lease::retire);
        List<Lease> idle = byId.values().stream().filter(lease -> lease.done(clock.instant())).toList();
        if (!idle.isEmpty()) {
            try {
                returnLeases(idle);
            } catch (RuntimeException e) {
                log.warn("Could not return {} leases of managed credentials' caps on shutdown; they stay counted",
                        idle.size());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 6144;
    }
}
