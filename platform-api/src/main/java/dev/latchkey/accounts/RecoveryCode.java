package dev.latchkey.accounts;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One of a user's ten MFA recovery codes, stored only as its peppered hash; each works once. */
@Entity
@Table(name = "mfa_recovery_codes")
class RecoveryCode {

    @Id
    private UUID id;
    @Column(name = "user_id")
    private UUID userId;
    @Column(name = "code_hash")
    private byte[] codeHash;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "used_at")
    private Instant usedAt;

    protected RecoveryCode() {
    }

    RecoveryCode(UUID id, UUID userId, byte[] codeHash, Instant now) {
        this.id = id;
        this.userId = userId;
        this.codeHash = codeHash.clone();
        this.createdAt = now;
    }

    boolean used() {
        return usedAt != null;
    }

    void use(Instant now) {
        this.usedAt = now;
    }
}
