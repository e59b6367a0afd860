package dev.latchkey.ratelimit;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Rate limits ({@code latchkey.rate-limits.*}); Redis itself is Spring Boot's {@code spring.data.redis.*}.
 *
 * @param redis the buckets kept in Redis
 */
@Validated
@ConfigurationProperties("latchkey.rate-limits")
record RateLimitsProperties(@DefaultValue @Valid Redis redis) {

    /**
     * @param timeout every Redis call of a rate limit fails within this
     * @param connectTimeout connecting to Redis fails within this
     * @param retryAfterFailure after a failure the instance counts in memory and leaves Redis alone this long
     * @param highRateThreshold a limit of this many requests per second or more is decided in memory
     *        and synchronised with Redis
     */
    record Redis(@DefaultValue("500ms") @NotNull Duration timeout, @DefaultValue("1s") @NotNull Duration connectTimeout,
            @DefaultValue("5s") @NotNull Duration retryAfterFailure,
            @DefaultValue("100") @Positive long highRateThreshold) {
    }
}
