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
class AllowanceLeases implements SmartLifecycle, SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(AllowanceLeases.class);
    private static final int LOCK_STRIPES = 64;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final String instanceId;
    private final Duration ttl;
    private final Duration settleMargin;
    private final long cap;
    private final long exactBelow;
    private final Duration sweepInterval;
    /** The lease each (organization, lane) takes from now: every commit lane settles against leases of its own. */
    private final Map<Slot, Lease> current = new ConcurrentHashMap<>();
    private final Map<UUID, Lease> byId = new ConcurrentHashMap<>();
    private final ReentrantLock[] stripes = new ReentrantLock[LOCK_STRIPES];
    private volatile boolean running;

    AllowanceLeases(JdbcClient jdbc, Clock clock, InstanceIdentity instance, QuotaProperties settings) {
        QuotaProperties.Lease lease = settings.lease();
        this.jdbc = jdbc;
        this.clock = clock;
        this.instanceId = instance.id();
        this.ttl = lease.ttl();
        this.settleMargin = lease.settleMargin();
        this.cap = lease.maxSize();
        this.exactBelow = lease.exactBelow();
        this.sweepInterval = lease.sweepInterval();
        for (int i = 0; i < LOCK_STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    private record Slot(UUID orgId, int lane) {
    }

    /** One lease as this instance holds it. */
    private static final class Lease {
        final UUID id;
        final UUID orgId;
        final BillingPeriod period;
        final long quantity;
        final Instant takeUntil;
        private long handedOut;
        private int inFlight;
        private boolean retired;

        Lease(UUID id, UUID orgId, BillingPeriod period, long quantity, Instant takeUntil) {
            this.id = id;
            this.orgId = orgId;
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
    }

    /**
     * Takes {@code quantity} of the organization's allowance for one request that will be
     * committed by commit lane {@code lane}.
     *
     * @return the lease it came from, or empty when the allowance is used up
     */
    Optional<AllowanceGrant> take(UUID orgId, long quantity, int lane) {
        Instant now = clock.instant();
        Slot slot = new Slot(orgId, lane);
        Lease lease = current.get(slot);
        if (lease != null && lease.tryTake(quantity, now)) {
            return Optional.of(new AllowanceGrant(lease.id, orgId, quantity));
        }
        ReentrantLock lock = stripes[Math.floorMod(slot.hashCode(), LOCK_STRIPES)];
        lock.lock();
        try {
            lease = current.get(slot);
            if (lease != null && lease.tryTake(quantity, now)) {
                return Optional.of(new AllowanceGrant(lease.id, orgId, quantity));
            }
            if (lease != null) {
                lease.retire();
                current.remove(slot, lease);
            }
            Lease fresh = acquire(orgId, quantity, now);
            if (fresh == null) {
                return Optional.empty();
            }
            byId.put(fresh.id, fresh);
            fresh.tryTake(quantity, now);
            if (fresh.quantity > quantity) {
                current.put(slot, fresh);
            } else {
                fresh.retire(); // an exact grant: this request's alone
            }
            return Optional.of(new AllowanceGrant(fresh.id, orgId, quantity));
        } finally {
            lock.unlock();
        }
    }

    /**
     * The request did not bill its units (its call failed, or its commit refused it): they may
     * serve another. An exact grant's lease goes back to the counter at once, since nothing else
     * can take from it.
     */
    void giveBack(AllowanceGrant grant) {
        Lease lease = byId.get(grant.leaseId());
        if (lease == null) {
            return;
        }
        lease.giveBack(grant.quantity());
        if (lease.quantity == grant.quantity() && lease.done(clock.instant())) {
            try {
                returnLeases(List.of(lease.id));
                byId.remove(lease.id);
            } catch (RuntimeException e) {
                log.warn("Could not return an unused exact grant at once; it goes back within a second");
            }
        }
    }

    /** The request's units were settled against the lease in its commit. */
    void settled(AllowanceGrant grant) {
        Lease lease = byId.get(grant.leaseId());
        if (lease != null) {
            lease.settled();
        }
    }

    private Lease acquire(UUID orgId, long quantity, Instant now) {
        UUID id = UUID.randomUUID();
        Instant expires = now.plus(ttl);
        long size = jdbc.sql("SELECT latchkey_lease(:id, :orgId, :instance, :quantity, :cap, :exactBelow, :now, :expires)")
                .param("id", id).param("orgId", orgId).param("instance", instanceId).param("quantity", quantity)
                .param("cap", cap).param("exactBelow", exactBelow).param("now", Timestamp.from(now))
                .param("expires", Timestamp.from(expires))
                .query(Long.class).single();
        return size == 0 ? null : new Lease(id, orgId, BillingPeriod.containing(now), size, expires.minus(settleMargin));
    }

    /** Returns this instance's leases that are done: what they did not bill goes back to the counter. */
    @Scheduled(fixedDelay = 500)
    void returnDone() {
        Instant now = clock.instant();
        List<UUID> done = new ArrayList<>();
        for (Lease lease : byId.values()) {
            if (lease.done(now)) {
                done.add(lease.id);
            }
        }
        if (done.isEmpty()) {
            return;
        }
        returnLeases(done);
        done.forEach(id -> {
            Lease lease = byId.remove(id);
            if (lease != null) {
                current.values().remove(lease);
            }
        });
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::sweepExpired, sweepInterval);
    }

    /** Returns the expired leases of any instance (one that died never returned its own). */
    void sweepExpired() {
        long returned = jdbc.sql("""
                SELECT latchkey_return_leases(array(SELECT id FROM allowance_leases WHERE expires_at <= :now))""")
                .param("now", Timestamp.from(clock.instant())).query(Long.class).single();
        if (returned > 0) {
            log.info("Gave back {} units of allowance held by expired leases", returned);
        }
    }

    private void returnLeases(List<UUID> ids) {
        jdbc.sql("SELECT latchkey_return_leases(:ids)").param("ids", ids.toArray(UUID[]::new)).query().singleRow();
    }

    @Override
    public void start() {
        running = true;
    }

    /** On shutdown, after the committer has settled what it could: every lease goes back. */
    @Override
    public void stop() {
        running = false;
        byId.values().forEach(Lease::retire);
        List<UUID> idle = byId.values().stream().filter(lease -> lease.done(clock.instant())).map(lease -> lease.id)
                .toList();
        if (!idle.isEmpty()) {
            try {
                returnLeases(idle);
            } catch (RuntimeException e) {
                log.warn("Could not return {} allowance leases on shutdown; they go back when they expire", idle.size());
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
