package dev.latchkey.webhooks;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Webhooks ({@code latchkey.webhooks.*}): operator settings, not tenant settings.
 *
 * @param allowPrivateHosts let webhook URLs point at loopback, private and carrier-grade NAT
 *        addresses (link-local ones always stay refused)
 * @param requireHttps refuse plain-http webhook URLs
 * @param maxEndpointsPerOrg webhook endpoints per organization
 * @param pollInterval how often each instance sends due deliveries
 * @param retry retries of failed deliveries
 */
@Validated
@ConfigurationProperties("latchkey.webhooks")
record WebhooksProperties(
        @DefaultValue("false") boolean allowPrivateHosts,
        @DefaultValue("true") boolean requireHttps,
        @DefaultValue("10") @Positive int maxEndpointsPerOrg,
        @DefaultValue("1s") @NotNull Duration pollInterval,
        @DefaultValue @Valid Retry retry) {

    /**
     * @param initialDelay the delay after the first failed attempt; it doubles after each one
     * @param maxDelay the longest delay between attempts
     * @param maxAttempts attempts before a delivery is marked failed
     */
    record Retry(@DefaultValue("10s") @NotNull Duration initialDelay, @DefaultValue("1h") @NotNull Duration maxDelay,
            @DefaultValue("8") @Positive int maxAttempts) {
    }
}
