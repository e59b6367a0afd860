package dev.latchkey.quota;

import java.util.UUID;

/**
 * Allowance taken for one billable request whose upstream call is in flight: settle it in the
 * transaction that commits the ledger row, or release it when the upstream call failed.
 * {@code usedAfter} is the period's usage including this reservation.
 */
public record AllowanceReservation(UUID id, UUID orgId, BillingPeriod period, long quantity, long usedAfter,
        long allowance) {
}
