package dev.latchkey.quota;

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
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The in-memory side of a leased counter, shared by the organization's allowance and the managed
 * credentials' caps: this instance leases a block of a counter (one statement, counted as used at
 * once in PostgreSQL) and hands units out from memory; near exhaustion a lease is exactly one
 * request's quantity. A lease is taken from until {@code ttl - settle-margin} (the margin outlasts
 * an upstream call), then returned with what it did not hand out. The subclass says how a lease is
 * acquired, returned and swept in SQL.
 *
 * @param <K> what a lease is taken for (an organization's commit lane, a credential)
 */
abstract class Leases<K> implements SmartLifecycle, SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(Leases.class);
    private static final int LOCK_STRIPES = 64;
    private static final Duration RETURN_INTERVAL = Duration.ofMillis(500);

    protected final Clock clock;
    private final Duration ttl;
    private final Duration settleMargin;
    protected final long maxSize;
    protected final long exactBelow;
    private final Duration sweepInterval;
    private final String what;
    private final String ifNotReturned;
    private final Map<K, Lease<K>> current = new ConcurrentHashMap<>();
    private final Map<UUID, Lease<K>> byId = new ConcurrentHashMap<>();
    private final ReentrantLock[] stripes = new ReentrantLock[LOCK_STRIPES];
    private volatile boolean running;

    /**
     * @param what          the leases as log lines name them
     * @param ifNotReturned what happens to a lease this instance could not return on shutdown
     */
    Leases(Clock clock, QuotaProperties.Lease settings, String what, String ifNotReturned) {
        this.clock = clock;
        this.ttl = settings.ttl();
        this.settleMargin = settings.settleMargin();
        this.maxSize = settings.maxSize();
        this.exactBelow = settings.exactBelow();
        this.sweepInterval = settings.sweepInterval();
        this.what = what;
        this.ifNotReturned = ifNotReturned;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * Leases a block of {@code key}'s counter of at least {@code quantity} units (exactly
     * {@code quantity} near exhaustion), counted as used at once.
     *
     * @return the size leased, 0 when the counter cannot give {@code quantity}
     */
    protected abstract long acquire(UUID leaseId, K key, long quantity, Instant now, Instant expires);

    /** Returns the given leases with what they did not hand out ({@code unused}, index for index). */
    protected abstract void release(UUID[] leaseIds, Long[] unused);

    /** Deals with the expired leases of any instance (one that died never returned its own). */
    protected abstract void sweepExpired();

    /** Units a request took from a lease: what it gives back or settles. */
    interface Units {
        UUID leaseId();

        long quantity();
    }

    /** One lease as this instance holds it: what it handed out (net of what came back) and what is in flight. */
    static final class Lease<K> {
        final UUID id;
        final K key;
        final BillingPeriod period;
        final long quantity;
        final Instant takeUntil;
        private long handedOut;
        private int inFlight;
        private boolean retired;

        Lease(UUID id, K key, BillingPeriod period, long quantity, Instant takeUntil) {
            this.id = id;
            this.key = key;
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

    /** {@code quantity} units of {@code key}'s counter for one request: the id of the lease they came from, or empty. */
    final Optional<UUID> takeUnits(K key, long quantity) {
        Instant now = clock.instant();
        Lease<K> lease = current.get(key);
        if (lease != null && lease.tryTake(quantity, now)) {
            return Optional.of(lease.id);
        }
        ReentrantLock lock = stripes[Math.floorMod(key.hashCode(), LOCK_STRIPES)];
        lock.lock();
        try {
            lease = current.get(key);
            if (lease != null && lease.tryTake(quantity, now)) {
                return Optional.of(lease.id);
            }
            if (lease != null) {
                lease.retire();
                current.remove(key, lease);
            }
            UUID id = UUID.randomUUID();
            Instant expires = now.plus(ttl);
            long size = acquire(id, key, quantity, now, expires);
            if (size == 0) {
                return Optional.empty();
            }
            Lease<K> fresh = new Lease<>(id, key, BillingPeriod.containing(now), size, expires.minus(settleMargin));
            byId.put(fresh.id, fresh);
            fresh.tryTake(quantity, now);
            if (fresh.quantity > quantity) {
                current.put(key, fresh);
            } else {
                fresh.retire(); // an exact grant: this request's alone
            }
            return Optional.of(fresh.id);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The request did not bill its units (its call failed, or its commit refused it): they may
     * serve another. An exact grant's lease goes back at once, since nothing else can take from it.
     */
    final void giveBack(Units units) {
        long quantity = units.quantity();
        Lease<K> lease = byId.get(units.leaseId());
        if (lease == null) {
            return;
        }
        lease.giveBack(quantity);
        if (lease.quantity == quantity && lease.done(clock.instant())) {
            try {
                returnLeases(List.of(lease));
            } catch (RuntimeException e) {
                log.warn("Could not return an unused exact grant of {} at once; it goes back within a second", what);
            }
        }
    }

    /** The request's units were settled against the lease in its commit. */
    final void settled(Units units) {
        Lease<K> lease = byId.get(units.leaseId());
        if (lease != null) {
            lease.settled();
        }
    }

    /** Returns this instance's leases that are done, with what they did not hand out. */
    void returnDone() {
        Instant now = clock.instant();
        List<Lease<K>> done = new ArrayList<>();
        for (Lease<K> lease : byId.values()) {
            if (lease.done(now)) {
                done.add(lease);
            }
        }
        if (!done.isEmpty()) {
            returnLeases(done);
        }
    }

    private void returnLeases(List<Lease<K>> leases) {
        UUID[] ids = leases.stream().map(lease -> lease.id).toArray(UUID[]::new);
        Long[] unused = leases.stream().map(Lease::unused).toArray(Long[]::new);
        release(ids, unused);
        for (Lease<K> lease : leases) {
            byId.remove(lease.id);
            current.remove(lease.key, lease);
        }
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::returnDone, RETURN_INTERVAL);
        registrar.addFixedDelayTask(this::sweepExpired, sweepInterval);
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
        List<Lease<K>> idle = byId.values().stream().filter(lease -> lease.done(clock.instant())).toList();
        if (!idle.isEmpty()) {
            try {
                returnLeases(idle);
            } catch (RuntimeException e) {
                log.warn("Could not return {} {} on shutdown; {}", idle.size(), what, ifNotReturned);
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
