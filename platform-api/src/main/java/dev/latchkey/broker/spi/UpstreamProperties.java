package dev.latchkey.broker.spi;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Calls to the providers ({@code latchkey.upstream.*}).
 *
 * @param connectTimeout provider call connect timeout
 * @param readTimeout provider call read timeout
 * @param maxConcurrentCalls calls in progress per provider and instance; more are a 503
 * @param circuitBreaker the per-provider circuit breaker
 */
@Validated
@ConfigurationProperties("latchkey.upstream")
record UpstreamProperties(
        @DefaultValue("2s") @NotNull Duration connectTimeout,
        @DefaultValue("10s") @NotNull Duration readTimeout,
        @DefaultValue("512") @Positive int maxConcurrentCalls,
        @DefaultValue @Valid CircuitBreaker circuitBreaker) {

    /**
     * @param failureRate the share (%) of failed calls that opens the breaker
     * @param minimumCalls calls before the breaker judges the rates
     * @param openFor how long an open breaker refuses calls
     * @param slowCallDuration a call longer than this is slow
     * @param slowCallRate the share (%) of slow calls that opens the breaker
     */
    record CircuitBreaker(
            @DefaultValue("50") @DecimalMin("1") @DecimalMax("100") float failureRate,
            @DefaultValue("10") @Positive int minimumCalls,
            @DefaultValue("30s") @NotNull Duration openFor,
            @DefaultValue("5s") @NotNull Duration slowCallDuration,
            @DefaultValue("80") @DecimalMin("1") @DecimalMax("100") float slowCallRate) {
    }
}
