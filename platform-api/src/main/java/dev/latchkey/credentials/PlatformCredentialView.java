package dev.latchkey.credentials;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One of the platform's own provider credentials as platform admins see it: like an
 * organization's ({@link CredentialView}), never a secret, with the platform-wide caps it
 * enforces. Tenants never see any of it.
 */
public record PlatformCredentialView(UUID id, String provider, String label, Map<String, String> config, String last4,
        String fingerprint, boolean isDefault, Cap cap, Instant createdAt, Instant rotatedAt, Instant verifiedAt,
        String verification) {

    /** The platform-wide limits of a managed credential, shared by every organization; null is none. */
    public record Cap(Integer requestsPerMinute, Long requestsPerMonth) {
    }
}
