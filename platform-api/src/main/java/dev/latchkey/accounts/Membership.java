package dev.latchkey.accounts;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

@Entity
@Table(name = "memberships")
class Membership {

    @Embeddable
    record Id(@Column(name = "org_id") UUID orgId, @Column(name = "user_id") UUID userId) implements Serializable {
    }

    @EmbeddedId
    private Id id;
    private String role;
    @Column(name = "created_at")
    private Instant createdAt;

    protected Membership() {
    }

    Membership(UUID orgId, UUID userId, Role role, Instant now) {
        this.id = new Id(orgId, userId);
        this.role = role.value();
        this.createdAt = now;
    }

    UUID orgId() {
        return id.orgId();
    }

    UUID userId() {
        return id.userId();
    }

    Role role() {
        return Role.parse(role).orElseThrow();
    }

    Instant createdAt() {
        return createdAt;
    }

    void changeRole(Role role) {
        this.role = role.value();
    }
}
