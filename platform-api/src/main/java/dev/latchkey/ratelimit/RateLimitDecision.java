package dev.latchkey.ratelimit;

import java.time.Duration;
import java.util.Map;

/** Whether one request may go ahead, with what the {@code RateLimit-*} headers report. */
public record RateLimitDecision(boolean allowed, long limit, long remaining, Duration retryAfter,
        Duration reset) {

    /** {@code RateLimit-Limit}, {@code RateLimit-Remaining}, {@code RateLimit-Reset} and, when refused, {@code Retry-After}. */
    public Map<String, String> headers() {
        String resetSeconds = Long.toString(ceilSeconds(reset));
        if (allowed) {
            return Map.of("RateLimit-Limit", Long.toString(limit), "RateLimit-Remaining", Long.toString(remaining),
                    "RateLimit-Reset", resetSeconds);
        }
        return Map.of("RateLimit-Limit", Long.toString(limit), "RateLimit-Remaining", "0",
                "RateLimit-Reset", resetSeconds, "Retry-After", Long.toString(Math.max(1, ceilSeconds(retryAfter))));
    }

    private static long ceilSeconds(Duration duration) {
        long seconds = duration.getSeconds();
        return duration.getNano() > 0 ? seconds + 1 : seconds;
    }
}
