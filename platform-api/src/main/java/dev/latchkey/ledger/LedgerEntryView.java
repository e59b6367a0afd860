package dev.latchkey.ledger;

import java.time.Instant;
import java.util.UUID;

/**
 * One ledger row as the API shows it. {@code kind} is {@code charge} or {@code reversal}; a
 * reversal names the charge it reverses and carries its quantity and amount negated.
 * {@code credentialSource} says whose credential served it: {@code own}, {@code byok}, or
 * {@code managed} (the platform's, billed at the managed price; {@code credentialId} is then null).
 */
record LedgerEntryView(UUID id, Instant occurredAt, String kind, UUID reverses, String provider, String operation,
        long quantity, long unitPriceMicros, long amountMicros, String currency, UUID apiKeyId, UUID credentialId,
        String credentialSource, String endUser, String requestId, String note) {
}
