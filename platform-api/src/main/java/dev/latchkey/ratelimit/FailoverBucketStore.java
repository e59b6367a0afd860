package dev.latchkey.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis buckets with a way out: when a Redis call fails (or times out), this instance counts in
 * its own memory and leaves Redis alone for {@code retryAfter} (a circuit breaker), so a Redis
 * outage costs at most one timeout per window instead of one per request. The next call after
 * the window, or a readiness probe, tries Redis again; the first success ends the outage.
 * While degraded, limits hold per instance only.
 */
final class FailoverBucketStore implements BucketStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FailoverBucketStore.class);

    private final RedisBucketStore redis;
    private final InMemoryBucketStore local;
    private final long retryAfterNanos;
    private final AtomicBoolean degraded = new AtomicBoolean();
    private volatile long lastFailureNanos;

    FailoverBucketStore(RedisBucketStore redis, InMemoryBucketStore local, Duration retryAfter) {
        this.redis = redis;
        this.local = local;
        this.retryAfterNanos = retryAfter.toNanos();
    }

    @Override
    public ConsumptionProbe tryConsume(String key, RateLimit limit, Supplier<BucketConfiguration> configuration) {
        return consume(() -> redis.tryConsume(key, limit, configuration), key, limit, configuration);
    }

    @Override
    public ConsumptionProbe tryConsumeExactly(String key, RateLimit limit, Supplier<BucketConfiguration> configuration) {
        return consume(() -> redis.tryConsumeExactly(key, limit, configuration), key, limit, configuration);
    }

    /** Redis unless it failed within {@code retryAfter}; this instance's own bucket otherwise. */
    private ConsumptionProbe consume(Supplier<ConsumptionProbe> fromRedis, String key, RateLimit limit,
            Supplier<BucketConfiguration> configuration) {
        if (degraded.get() && System.nanoTime() - lastFailureNanos < retryAfterNanos) {
            return local.tryConsume(key, limit, configuration);
        }
        try {
            ConsumptionProbe probe = fromRedis.get();
            recovered();
            return probe;
        } catch (RuntimeException unreachable) {
            failed(unreachable);
            return local.tryConsume(key, limit, configuration);
        }
    }

    /** Asks Redis directly (for the readiness probe), ending or starting an outage accordingly. */
    boolean probe() {
        try {
            redis.ping();
            recovered();
            return true;
        } catch (RuntimeException unreachable) {
            failed(unreachable);
            return false;
        }
    }

    private void failed(RuntimeException cause) {
        lastFailureNanos = System.nanoTime();
        if (degraded.compareAndSet(false, true)) {
            log.warn("Redis is unreachable ({}): rate limits fall back to per-instance buckets until it answers again",
                    cause.getClass().getSimpleName());
        }
    }

    private void recovered() {
        if (degraded.compareAndSet(true, false)) {
            log.info("Redis answers again: rate limits are shared by every instance again");
        }
    }

    @Override
    public void close() {
        redis.close();
    }
}
