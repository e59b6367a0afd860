package dev.latchkey.audit;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The audit log ({@code latchkey.audit.*}): linking into the hash chain, verification, retention.
 *
 * @param linkInterval how often the leading instance links pending audit events into the chain
 * @param checkpointInterval how often the leading instance signs the chain's head
 * @param leaderRetry how often a standby instance tries to become the leading linker
 * @param verifyInterval how often each instance walks the audit hash chain
 * @param verifyLimit how often a platform admin may have the whole chain verified, platform-wide
 * @param retention audit events older than this (at least 1d) are pruned; 0s keeps them forever
 * @param retentionInterval how often retention runs
 */
@Validated
@ConfigurationProperties("latchkey.audit")
record AuditProperties(
        @DefaultValue("100ms") @NotNull Duration linkInterval,
        @DefaultValue("10s") @NotNull Duration checkpointInterval,
        @DefaultValue("2s") @NotNull Duration leaderRetry,
        @DefaultValue("1h") @NotNull Duration verifyInterval,
        @DefaultValue @Valid VerifyLimit verifyLimit,
        @DefaultValue("0s") @NotNull Duration retention,
        @DefaultValue("1h") @NotNull Duration retentionInterval) {

    /**
     * {@code POST /v1/admin/audit-events/verify} walks the whole chain: at most this many runs per period.
     *
     * @param perPeriod verification runs allowed per period, platform-wide
     * @param period the period the runs are counted over
     */
    record VerifyLimit(@DefaultValue("5") @Positive long perPeriod, @DefaultValue("1m") @NotNull Duration period) {
    }
}
