package dev.latchkey.accounts;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A pending membership for an email that has no account yet; honoured at signup. */
@Entity
@Table(name = "invitations")
class Invitation {

    @Id
    private UUID id;
    @Column(name = "org_id")
    private UUID orgId;
    private String email;
    private String role;
    @Column(name = "invited_by")
    private UUID invitedBy;
    @Column(name = "created_at")
    private Instant createdAt;

    protected Invitation() {
    }

    Invitation(UUID id, UUID orgId, String email, Role role, UUID invitedBy, Instant now) {
        this.id = id;
        this.orgId = orgId;
        this.email = email;
        this.role = role.value();
        this.invitedBy = invitedBy;
        this.createdAt = now;
    }

    UUID id() {
        return id;
    }

    UUID orgId() {
        return orgId;
    }

    String email() {
        return email;
    }

    Role role() {
        return Role.parse(role).orElseThrow();
    }

    Instant createdAt() {
        return createdAt;
    }
}
