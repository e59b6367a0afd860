package dev.latchkey.apikeys;

import java.time.Instant;
import java.util.UUID;

/** What one secret's lookup id resolves to for the key cache: the secret, its key, its organization's status. */
record ResolvedSecret(byte[] secretHash, Instant secretExpiresAt, UUID apiKeyId, UUID orgId, String[] scopes,
        Instant keyExpiresAt, Instant revokedAt, String orgStatus) {
}
