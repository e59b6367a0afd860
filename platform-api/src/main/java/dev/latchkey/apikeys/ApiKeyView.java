package dev.latchkey.apikeys;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import dev.latchkey.kernel.Scope;

/** An API key as listed: never its secret, only the public prefix. */
public record ApiKeyView(UUID id, String name, String prefix, Set<String> scopes, Instant createdAt,
        Instant expiresAt, Instant lastUsedAt, Instant revokedAt, UUID createdBy, Integer rateLimitPerMinute) {

    static ApiKeyView of(ApiKey key, String prefix) {
        return new ApiKeyView(key.id(), key.name(), prefix, Scope.valueSet(key.scopes()), key.createdAt(), key.expiresAt(),
                key.lastUsedAt(), key.revokedAt(), key.createdBy(), key.rateLimitPerMinute());
    }
}
