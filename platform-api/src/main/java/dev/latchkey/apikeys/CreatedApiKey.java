package dev.latchkey.apikeys;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** A new key or a rotated secret: the only response that ever carries {@code key}. */
public record CreatedApiKey(UUID id, String name, String key, String prefix, Set<String> scopes,
        Instant createdAt, Instant expiresAt) {

    @Override
    public String toString() {
        return "CreatedApiKey[id=" + id + ", prefix=" + prefix + ", key=***]";
    }
}
