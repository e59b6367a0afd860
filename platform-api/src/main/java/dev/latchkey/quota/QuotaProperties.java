package dev.latchkey.quota;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Quotas ({@code latchkey.quota.*}): allowance leases (and the leases of managed credentials'
 * monthly caps), limits and usage alerts.
 *
 * @param limitsCacheTtl the longest an instance keeps an organization's limits; a change reaches
 *        every instance at once through the change feed, this is the backstop
 * @param alertThresholds usage alerts, in percent of the monthly allowance
 * @param lease allowance leases
 */
@Validated
@ConfigurationProperties("latchkey.quota")
public record QuotaProperties(
        @DefaultValue("1s") @NotNull Duration limitsCacheTtl,
        @DefaultValue({"50", "80", "100"}) @NotEmpty List<@NotNull @Min(1) @Max(100) Integer> alertThresholds,
        @DefaultValue @Valid Lease lease) {

    public QuotaProperties {
        alertThresholds = List.copyOf(alertThresholds);
    }

    /**
     * @param ttl how long a lease lives
     * @param settleMargin a lease is taken from until its ttl minus this (outlasts a provider call)
     * @param maxSize the largest block an instance leases
     * @param exactBelow the remaining allowance below which every request gets an exact grant instead
     * @param sweepInterval how often an instance looks for expired leases of instances that died
     */
    public record Lease(@DefaultValue("60s") @NotNull Duration ttl, @DefaultValue("25s") @NotNull Duration settleMargin,
            @DefaultValue("5000") @Positive long maxSize, @DefaultValue("1000") @Positive long exactBelow,
            @DefaultValue("30s") @NotNull Duration sweepInterval) {

        public Lease {
            if (ttl != null && settleMargin != null && settleMargin.compareTo(ttl) >= 0) {
                throw new IllegalStateException("latchkey.quota.lease.settle-margin must be shorter than its ttl");
            }
        }
    }
}
