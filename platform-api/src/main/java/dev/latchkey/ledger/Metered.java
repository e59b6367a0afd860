package dev.latchkey.ledger;

import java.util.Map;
import java.util.UUID;

/**
 * The outcome of a billable request: what the mint returned (or, for a retry under the same
 * Idempotency-Key, what it returned the first time), the ledger row that bills it, and the
 * headers the response must carry ({@code RateLimit-*}, and {@code Idempotent-Replayed: true}
 * on a replay).
 */
public record Metered<T>(T result, UUID ledgerEntryId, boolean replayed, Map<String, String> headers) {

    public Metered {
        headers = Map.copyOf(headers);
    }
}
