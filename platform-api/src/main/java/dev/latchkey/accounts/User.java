package dev.latchkey.accounts;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "users")
class User {

    @Id
    private UUID id;
    private String email;
    private String name;
    @Column(name = "password_hash")
    private String passwordHash;
    @Column(name = "platform_admin")
    private boolean platformAdmin;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;
    @Column(name = "email_verified_at")
    private Instant emailVerifiedAt;
    /** Sealed by {@link AccountSecrets}; never the plain shared secret. */
    @Column(name = "totp_secret")
    private byte[] totpSecret;
    @Column(name = "totp_enabled_at")
    private Instant totpEnabledAt;
    @Column(name = "totp_last_step")
    private Long totpLastStep;
    @Column(name = "totp_pending_secret")
    private byte[] totpPendingSecret;

    protected User() {
    }

    User(UUID id, String email, String name, String passwordHash, boolean platformAdmin, Instant now) {
        this.id = id;
        this.email = email;
        this.name = name;
        this.passwordHash = passwordHash;
        this.platformAdmin = platformAdmin;
        this.createdAt = now;
        this.updatedAt = now;
    }

    UUID id() {
        return id;
    }

    String email() {
        return email;
    }

    String name() {
        return name;
    }

    String passwordHash() {
        return passwordHash;
    }

    boolean platformAdmin() {
        return platformAdmin;
    }

    void changePasswordHash(String passwordHash, Instant now) {
        this.passwordHash = passwordHash;
        this.updatedAt = now;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant emailVerifiedAt() {
        return emailVerifiedAt;
    }

    boolean emailVerified() {
        return emailVerifiedAt != null;
    }

    void verifyEmail(Instant now) {
        this.emailVerifiedAt = now;
        this.updatedAt = now;
    }

    boolean mfaEnabled() {
        return totpEnabledAt != null;
    }

    Instant mfaEnabledAt() {
        return totpEnabledAt;
    }

    byte[] totpSecret() {
        return totpSecret;
    }

    byte[] totpPendingSecret() {
        return totpPendingSecret;
    }

    Long totpLastStep() {
        return totpLastStep;
    }

    void startTotpEnrolment(byte[] sealedSecret, Instant now) {
        this.totpPendingSecret = sealedSecret;
        this.updatedAt = now;
    }

    void enableTotp(long acceptedStep, Instant now) {
        this.totpSecret = totpPendingSecret;
        this.totpPendingSecret = null;
        this.totpEnabledAt = now;
        this.totpLastStep = acceptedStep;
        this.updatedAt = now;
    }

    void acceptTotpStep(long step) {
        this.totpLastStep = step;
    }

    void disableTotp(Instant now) {
        this.totpSecret = null;
        this.totpPendingSecret = null;
        this.totpEnabledAt = null;
        this.totpLastStep = null;
        this.updatedAt = now;
    }
}
