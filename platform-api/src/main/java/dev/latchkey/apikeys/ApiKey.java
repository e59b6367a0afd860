package dev.latchkey.apikeys;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import dev.latchkey.kernel.Scope;

@Entity
@Table(name = "api_keys")
class ApiKey {

    @Id
    private UUID id;
    @Column(name = "org_id")
    private UUID orgId;
    private String name;
    @JdbcTypeCode(SqlTypes.ARRAY)
    private String[] scopes;
    @Column(name = "expires_at")
    private Instant expiresAt;
    @Column(name = "rate_limit_per_minute")
    private Integer rateLimitPerMinute;
    @Column(name = "created_by")
    private UUID createdBy;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "last_used_at")
    private Instant lastUsedAt;
    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected ApiKey() {
    }

    ApiKey(UUID id, UUID orgId, String name, Set<Scope> scopes, Instant expiresAt, Integer rateLimitPerMinute,
            UUID createdBy, Instant now) {
        this.id = id;
        this.orgId = orgId;
        this.name = name;
        this.scopes = Scope.names(scopes).toArray(String[]::new);
        this.expiresAt = expiresAt;
        this.rateLimitPerMinute = rateLimitPerMinute;
        this.createdBy = createdBy;
        this.createdAt = now;
    }

    UUID id() {
        return id;
    }

    UUID orgId() {
        return orgId;
    }

    String name() {
        return name;
    }

    Set<Scope> scopes() {
        return Scope.parseAll(List.of(scopes));
    }

    Instant expiresAt() {
        return expiresAt;
    }

    Integer rateLimitPerMinute() {
        return rateLimitPerMinute;
    }

    UUID createdBy() {
        return createdBy;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant lastUsedAt() {
        return lastUsedAt;
    }

    Instant revokedAt() {
        return revokedAt;
    }

    boolean revoked() {
        return revokedAt != null;
    }

    void revoke(Instant now) {
        this.revokedAt = now;
    }

    /** Narrows the key to {@code kept}, a subset of its scopes (never widens it). */
    void limitScopes(Set<Scope> kept) {
        if (!scopes().containsAll(kept)) {
            throw new IllegalArgumentException("A key's scopes can only be narrowed");
        }
        this.scopes = Scope.names(kept).toArray(String[]::new);
    }
}
