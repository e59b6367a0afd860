package dev.latchkey.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The application's Clock in the tests (see {@link TestClockConfiguration}): the system clock
 * plus an offset that a test moves forward, so that expiry, caps, retention and retries are
 * tested without waiting for them. Time keeps flowing (PostgreSQL, Redis, the fake upstreams and
 * Awaitility live in real time); only the application sees the jump. One clock per JVM, so the
 * test's instance and every {@link SecondInstance} move together; {@link IntegrationTest} sets
 * it back after each test, as clock skew between instances would.
 */
public final class MutableClock extends Clock {

    private static final MutableClock SHARED = new MutableClock();

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    private MutableClock() {
    }

    public static MutableClock get() {
        return SHARED;
    }

    /** Moves the application's time forward by {@code amount}. */
    public void advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("The clock moves forward only: " + amount);
        }
        offset.accumulateAndGet(amount, Duration::plus);
    }

    /** Back to the system clock. */
    public void reset() {
        offset.set(Duration.ZERO);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("The application's clock is UTC");
    }
}
