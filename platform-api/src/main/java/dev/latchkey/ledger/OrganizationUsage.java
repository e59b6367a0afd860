package dev.latchkey.ledger;

import java.util.List;

/**
 * An organization's billed usage in the current billing period ({@code period}, YYYY-MM, UTC), per
 * currency: {@code events} counts charges less reversals, as {@code GET /v1/orgs/{orgId}/usage}
 * does. No usage is an empty {@code totals}.
 */
public record OrganizationUsage(String period, List<Total> totals) {

    public record Total(String currency, long events, long quantity, long amountMicros) {
    }
}
