package dev.latchkey.quota;

import java.util.UUID;

/**
 * Allowance taken for one billable request with an upstream call, before the call: units of a
 * lease this instance holds. The request's commit settles them against {@code leaseId}; a
 * request that bills nothing gives them back ({@link QuotaService#giveBack}).
 */
public record AllowanceGrant(UUID leaseId, UUID orgId, long quantity) implements Leases.Units {
}
