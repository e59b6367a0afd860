package dev.latchkey.accounts;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An invitation: a single-use, expiring token, stored only as its peppered hash. Whoever
 * presents the token joins with the role; {@code email} is the inviter's note of whom they meant.
 * Accepted and revoked invitations are kept, so a reused token is told apart from an unknown one.
 */
@Entity
@Table(name = "invitations")
class Invitation {

    enum State { PENDING, EXPIRED, ACCEPTED, REVOKED }

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
    @Column(name = "token_hash")
    private byte[] tokenHash;
    @Column(name = "expires_at")
    private Instant expiresAt;
    @Column(name = "accepted_at")
    private Instant acceptedAt;
    @Column(name = "accepted_by")
    private UUID acceptedBy;
    @Column(name = "revoked_at")
    private Instant revokedAt;
    /** The link of the invitation's mail, made when the mail is sent; resending replaces it. */
    @Column(name = "mail_token_hash")
    private byte[] mailTokenHash;
    @Column(name = "mailed_at")
    private Instant mailedAt;
    @Column(name = "mail_count")
    private int mailCount;

    protected Invitation() {
    }

    Invitation(UUID id, UUID orgId, String email, Role role, UUID invitedBy, byte[] tokenHash, Instant now,
            Instant expiresAt) {
        this.id = id;
        this.orgId = orgId;
        this.email = email;
        this.role = role.value();
        this.invitedBy = invitedBy;
        this.tokenHash = tokenHash.clone();
        this.createdAt = now;
        this.expiresAt = expiresAt;
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

    UUID invitedBy() {
        return invitedBy;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    State state(Instant now) {
        if (acceptedAt != null) {
            return State.ACCEPTED;
        }
        if (revokedAt != null) {
            return State.REVOKED;
        }
        return now.isBefore(expiresAt) ? State.PENDING : State.EXPIRED;
    }

    void accept(UUID userId, Instant now) {
        this.acceptedAt = now;
        this.acceptedBy = userId;
    }

    void revoke(Instant now) {
        this.revokedAt = now;
    }

    Instant mailedAt() {
        return mailedAt;
    }

    void mailed(byte[] tokenHash, Instant now) {
        this.mailTokenHash = tokenHash.clone();
        this.mailedAt = now;
        this.mailCount++;
    }
}
