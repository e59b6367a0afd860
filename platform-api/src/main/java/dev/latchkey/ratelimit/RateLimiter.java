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
        Supplier<BucketConfiguration> configuration = () -> BucketConfiguration.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.capacity())
                        .refillGreedy(limit.refillTokens(), limit.period()))
                .build();
        // The limit is part of the bucket's name so that a changed limit starts a bucket of its own.
        ConsumptionProbe probe = buckets.tryConsume(key + ":" + limit.signature(), limit, configuration);
        return new RateLimitDecision(probe.isConsumed(), limit.capacity(), probe.getRemainingTokens(),
                Duration.ofNanos(probe.getNanosToWaitForRefill()), Duration.ofNanos(probe.getNanosToWaitForReset()));
    }
}
