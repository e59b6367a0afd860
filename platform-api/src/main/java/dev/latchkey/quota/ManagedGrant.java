package dev.latchkey.quota;

import java.util.UUID;

/**
 * What a billable request took of a managed credential's monthly cap, before its work: units of a
 * lease this instance holds ({@code leaseId} null when the credential has no monthly cap). The
 * request settles it ({@link QuotaService#settledManaged}) or, when it billed nothing, gives it
 * back ({@link QuotaService#giveBackManaged}).
 */
public record ManagedGrant(UUID leaseId, UUID credentialId, long quantity) implements Leases.Units {
}
