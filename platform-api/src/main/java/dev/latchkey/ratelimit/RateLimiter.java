package dev.latchkey.ratelimit;

import java.time.Duration;
import java.util.function.Supplier;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

import org.springframework.stereotype.Service;

/**
 * Token-bucket rate limiting. Buckets live in Redis (bucket4j over Lettuce) when Redis is
 * configured, so a limit holds across every instance; otherwise, and while Redis is
 * unreachable, in this process.
 */
@Service
public class RateLimiter {

    private final BucketStore buckets;

    RateLimiter(BucketStore buckets) {
        this.buckets = buckets;
    }

    /** Takes one token from the bucket named {@code key}, created with {@code limit} if new. */
    public RateLimitDecision tryConsume(String key, RateLimit limit) {
        return consume(key, limit, false);
    }

    /**
     * {@link #tryConsume} decided in Redis every time, however high the limit (high limits are
     * otherwise decided in memory with a bounded overshoot per instance): for limits that must hold
     * exactly across instances. Without Redis, or while it is unreachable, the buckets are this
     * process's, as every limit's are.
     */
    public RateLimitDecision tryConsumeExactly(String key, RateLimit limit) {
        return consume(key, limit, true);
    }

    private RateLimitDecision consume(String key, RateLimit limit, boolean exact) {
        Supplier<BucketConfiguration> configuration = () -> BucketConfiguration.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.capacity())
                        .refillGreedy(limit.refillTokens(), limit.period()))
                .build();
        // The limit is part of the bucket's name so that a changed limit starts a bucket of its own.
        String name = key + ":" + limit.signature();
        ConsumptionProbe probe = exact ? buckets.tryConsumeExactly(name, limit, configuration)
                : buckets.tryConsume(name, limit, configuration);
        return new RateLimitDecision(probe.isConsumed(), limit.capacity(), probe.getRemainingTokens(),
                Duration.ofNanos(probe.getNanosToWaitForRefill()), Duration.ofNanos(probe.getNanosToWaitForReset()));
    }
}
