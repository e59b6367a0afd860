package dev.latchkey.credentials;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A provider credential as the API shows it: config, never a secret, only its last4 and fingerprint. */
public record CredentialView(UUID id, String provider, String label, Map<String, String> config, String last4,
        String fingerprint, boolean isDefault, Instant createdAt, Instant rotatedAt, Instant verifiedAt,
        String verification) {
}
