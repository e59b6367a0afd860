package dev.latchkey.accounts;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A link sent by mail (email verification, password reset): single-use, expiring, stored only as
 * the peppered hash of its token. A newer link of the same purpose replaces an unused older one.
 * Used, expired and replaced links are kept, so that a reused link is told apart from an unknown one.
 */
@Entity
@Table(name = "account_tokens")
class AccountToken {

    enum Purpose {
        EMAIL_VERIFICATION("email_verification", "verify_"), PASSWORD_RESET("password_reset", "reset_");

        final String value;
        /** The token's family: {@code verify_} or {@code reset_} + 43 base62 characters + a checksum. */
        final String prefix;

        Purpose(String value, String prefix) {
            this.value = value;
            this.prefix = prefix;
        }
    }

    enum State { USABLE, USED, EXPIRED, REPLACED }

    @Id
    private UUID id;
    @Column(name = "user_id")
    private UUID userId;
    private String purpose;
    @Column(name = "token_hash")
    private byte[] tokenHash;
    private String email;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "expires_at")
    private Instant expiresAt;
    @Column(name = "used_at")
    private Instant usedAt;
    @Column(name = "replaced_at")
    private Instant replacedAt;

    protected AccountToken() {
    }

    AccountToken(UUID id, UUID userId, Purpose purpose, byte[] tokenHash, String email, Instant now, Instant expiresAt) {
        this.id = id;
        this.userId = userId;
        this.purpose = purpose.value;
        this.tokenHash = tokenHash.clone();
        this.email = email;
        this.createdAt = now;
        this.expiresAt = expiresAt;
    }

    UUID id() {
        return id;
    }

    UUID userId() {
        return userId;
    }

    String email() {
        return email;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    State state(Instant now) {
        if (usedAt != null) {
            return State.USED;
        }
        if (replacedAt != null) {
            return State.REPLACED;
        }
        return now.isBefore(expiresAt) ? State.USABLE : State.EXPIRED;
    }

    void use(Instant now) {
        this.usedAt = now;
    }

    void replace(Instant now) {
        this.replacedAt = now;
    }
}
