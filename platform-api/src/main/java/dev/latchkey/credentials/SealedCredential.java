package dev.latchkey.credentials;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import dev.latchkey.kernel.Provider;

/**
 * What an organization's provider credential and one of the platform's have in common: the
 * provider, the config (jsonb), the secret sealed by {@link CredentialSealer} with its last four
 * characters and fingerprint, the default flag and the verification result.
 */
@MappedSuperclass
abstract class SealedCredential {

    @Id
    private UUID id;
    private String provider;
    private String label;
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, String> config;
    @Column(name = "secret_ciphertext")
    private byte[] secretCiphertext;
    private String last4;
    private String fingerprint;
    @Column(name = "is_default")
    private boolean isDefault;
    @Column(name = "created_by")
    private UUID createdBy;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "rotated_at")
    private Instant rotatedAt;
    @Column(name = "verified_at")
    private Instant verifiedAt;
    private String verification;

    protected SealedCredential() {
    }

    SealedCredential(UUID id, Provider provider, String label, Map<String, String> config,
            CredentialSealer.Sealed sealed, boolean isDefault, UUID createdBy, Instant now) {
        this.id = id;
        this.provider = provider.id();
        this.label = label;
        this.config = new LinkedHashMap<>(config);
        this.secretCiphertext = sealed.ciphertext();
        this.last4 = sealed.last4();
        this.fingerprint = sealed.fingerprint();
        this.isDefault = isDefault;
        this.createdBy = createdBy;
        this.createdAt = stored(now);
    }

    UUID id() {
        return id;
    }

    String provider() {
        return provider;
    }

    String label() {
        return label;
    }

    /** The config, unmodifiable, in its stored order. */
    Map<String, String> config() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    byte[] secretCiphertext() {
        return secretCiphertext;
    }

    String last4() {
        return last4;
    }

    String fingerprint() {
        return fingerprint;
    }

    boolean isDefault() {
        return isDefault;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant rotatedAt() {
        return rotatedAt;
    }

    Instant verifiedAt() {
        return verifiedAt;
    }

    String verification() {
        return verification;
    }

    void makeDefault(boolean isDefault) {
        this.isDefault = isDefault;
    }

    /** A new secret: the verification of the old one no longer says anything. */
    void rotate(CredentialSealer.Sealed sealed, Instant now) {
        this.secretCiphertext = sealed.ciphertext();
        this.last4 = sealed.last4();
        this.fingerprint = sealed.fingerprint();
        this.rotatedAt = stored(now);
        this.verifiedAt = null;
        this.verification = null;
    }

    void verified(boolean valid, Instant now) {
        this.verifiedAt = stored(now);
        this.verification = valid ? "valid" : "invalid";
    }

    /** An instant as the database keeps it (microseconds), so what a change returns is what a read returns. */
    private static Instant stored(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
