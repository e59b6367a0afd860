package dev.latchkey.apikeys;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One secret of an API key; a rotation leaves the old one valid until its grace period ends. */
@Entity
@Table(name = "api_key_secrets")
class ApiKeySecret {

    @Id
    private UUID id;
    @Column(name = "api_key_id")
    private UUID apiKeyId;
    @Column(name = "lookup_id")
    private String lookupId;
    @Column(name = "secret_hash")
    private byte[] secretHash;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "expires_at")
    private Instant expiresAt;

    protected ApiKeySecret() {
    }

    ApiKeySecret(UUID id, UUID apiKeyId, String lookupId, byte[] secretHash, Instant now) {
        this.id = id;
        this.apiKeyId = apiKeyId;
        this.lookupId = lookupId;
        this.secretHash = secretHash.clone();
        this.createdAt = now;
    }

    UUID apiKeyId() {
        return apiKeyId;
    }

    String lookupId() {
        return lookupId;
    }

    byte[] secretHash() {
        return secretHash.clone();
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    /** Ends this secret's life at {@code until}, never extending an earlier end. */
    void expireAt(Instant until) {
        if (expiresAt == null || until.isBefore(expiresAt)) {
            this.expiresAt = until;
        }
    }
}
