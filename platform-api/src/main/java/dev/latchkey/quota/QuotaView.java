package dev.latchkey.quota;

import java.time.Instant;

/**
 * An organization's limits and what it has used: {@code GET /v1/orgs/{orgId}/quota}.
 * {@code overrides} shows what a platform admin set instead of the plan's values.
 */
public record QuotaView(String plan, Rate rate, Monthly monthly, Overrides overrides) {

    /** A token bucket: {@code burst} requests at once, refilled by {@code limit} every {@code windowSeconds}. */
    public record Rate(long limit, long windowSeconds, long burst) {
    }

    /** The monthly allowance of billable events; {@code used} includes requests in flight. */
    public record Monthly(long allowance, long used, long remaining, String period, Instant resetsAt) {
    }

    /** What overrides the plan; null where the plan's value applies. */
    public record Overrides(Rate rate, Long monthlyAllowance) {
    }
}
