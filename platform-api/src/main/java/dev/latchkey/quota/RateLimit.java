package dev.latchkey.quota;

import java.time.Duration;

/** A token bucket: up to {@code capacity} requests at once, refilled to capacity every {@code period}. */
public record RateLimit(long capacity, Duration period) {

    public RateLimit {
        if (capacity <= 0 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("A rate limit needs a positive capacity and period");
        }
    }
}
