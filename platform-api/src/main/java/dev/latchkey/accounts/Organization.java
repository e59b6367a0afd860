package dev.latchkey.accounts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An organization. Updates write the changed columns only, so that a change of one setting does
 * not rewrite (or race) another, and the change feed's trigger hears of status, plan and settings
 * changes only.
 */
@Entity
@Table(name = "organizations")
@DynamicUpdate
class Organization {

    static final String ACTIVE = "active";
    static final String SUSPENDED = "suspended";
    private static final String ALLOWED_ORIGINS = "allowed_origins";

    @Id
    private UUID id;
    private String name;
    private String slug;
    private String plan;
    private String status;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;
    @Column(name = "suspended_at")
    private Instant suspendedAt;
    @Column(name = "suspension_reason")
    private String suspensionReason;
    /** Owners and admins must have two-factor authentication to act in the organization. */
    @Column(name = "require_mfa")
    private boolean requireMfa;
    /** The jsonb settings; {@code allowed_origins} (a list of origins) is the one the code knows. */
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, Object> settings = new LinkedHashMap<>();

    protected Organization() {
    }

    Organization(UUID id, String name, String slug, Instant now) {
        this.id = id;
        this.name = name;
        this.slug = slug;
        this.plan = "free";
        this.status = ACTIVE;
        this.createdAt = now;
        this.updatedAt = now;
    }

    UUID id() {
        return id;
    }

    String name() {
        return name;
    }

    String slug() {
        return slug;
    }

    String plan() {
        return plan;
    }

    String status() {
        return status;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant suspendedAt() {
        return suspendedAt;
    }

    String suspensionReason() {
        return suspensionReason;
    }

    boolean suspended() {
        return SUSPENDED.equals(status);
    }

    void suspend(String reason, Instant now) {
        this.status = SUSPENDED;
        this.suspendedAt = now;
        this.suspensionReason = reason;
        this.updatedAt = now;
    }

    void resume(Instant now) {
        this.status = ACTIVE;
        this.suspendedAt = null;
        this.suspensionReason = null;
        this.updatedAt = now;
    }

    void rename(String name, Instant now) {
        this.name = name;
        this.updatedAt = now;
    }

    void changePlan(String plan, Instant now) {
        this.plan = plan;
        this.updatedAt = now;
    }

    boolean requireMfa() {
        return requireMfa;
    }

    void requireMfa(boolean required, Instant now) {
        this.requireMfa = required;
        this.updatedAt = now;
    }

    /** The allowed browser origins ({@code settings.allowed_origins}), none when unset. */
    List<String> allowedOrigins() {
        return settings.get(ALLOWED_ORIGINS) instanceof List<?> origins
                ? origins.stream().map(String.class::cast).toList() : List.of();
    }

    /** Replaces the allowed browser origins; the other settings stay. */
    void allowOrigins(List<String> origins, Instant now) {
        Map<String, Object> changed = new LinkedHashMap<>(settings);
        changed.put(ALLOWED_ORIGINS, List.copyOf(origins));
        this.settings = changed;
        this.updatedAt = now;
    }
}
