package dev.latchkey.ledger;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Aggregates over the ledger as the API shows them. Amounts are integer micro-units. */
final class UsageViews {

    private UsageViews() {
    }

    /**
     * {@code GET /v1/orgs/{orgId}/usage}: one row per group and currency. {@code events} counts
     * charges less reversals; {@code key} is the day (YYYY-MM-DD, UTC), provider, operation,
     * credential source ({@code own}, {@code managed}, {@code byok}), API key id, end user, or for
     * platform admins the organization or credential id, per {@code group_by}.
     */
    record Usage(Instant from, Instant to, String groupBy, List<Row> items, List<Row> totals) {
    }

    record Row(String key, String currency, long events, long quantity, long amountMicros) {
    }

    /**
     * {@code GET /v1/orgs/{orgId}/invoice-preview}: the period's charges by price; what they come to
     * per credential source and currency ({@code own} and {@code byok} at the platform's price,
     * {@code managed} at the managed price, which includes the provider's cost); and the totals per
     * currency, what the organization owes for the period. Every figure is a sum of the same rows.
     */
    record InvoicePreview(UUID orgId, String period, Instant from, Instant to, boolean periodClosed, List<Line> lines,
            List<SourceTotal> byCredentialSource, List<Total> totals) {
    }

    record SourceTotal(String credentialSource, String currency, long quantity, long amountMicros) {
    }

    record Line(String provider, String operation, String credentialSource, long unitPriceMicros, String currency,
            long quantity, long amountMicros) {
    }

    record Total(String currency, long amountMicros) {
    }

    /** A recorded crossing of an allowance threshold. */
    record Alert(UUID id, String period, int thresholdPercent, long used, long allowance, Instant occurredAt) {
    }
}
