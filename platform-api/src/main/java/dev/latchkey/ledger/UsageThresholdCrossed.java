package dev.latchkey.ledger;

import java.time.Instant;
import java.util.UUID;

/**
 * An organization's billed usage reached {@code thresholdPercent} of its monthly allowance in
 * {@code period}: published once per organization, period and threshold, in the transaction
 * that records the alert. {@code id} is the alert's id, the same wherever the event goes.
 */
public record UsageThresholdCrossed(UUID id, UUID orgId, Instant occurredAt, int thresholdPercent, String period,
        long used, long allowance) {

    public static final String TYPE = "usage.threshold_crossed";
}
