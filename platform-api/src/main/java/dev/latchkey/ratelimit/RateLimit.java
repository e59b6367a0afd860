package dev.latchkey.ratelimit;

import java.time.Duration;

/**
 * A token bucket: up to {@code capacity} requests at once (the burst), refilled by
 * {@code refillTokens} every {@code period}.
 */
public record RateLimit(long capacity, long refillTokens, Duration period) {

    public RateLimit {
        if (capacity <= 0 || refillTokens <= 0 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("A rate limit needs a positive capacity, refill and period");
        }
    }

    /** A bucket of {@code capacity}, refilled to capacity every {@code period}. */
    public RateLimit(long capacity, Duration period) {
        this(capacity, capacity, period);
    }

    /** Part of a bucket's name, so that a changed limit starts a bucket of its own. */
    String signature() {
        return capacity + "/" + refillTokens + "/" + period.toMillis();
    }
}
