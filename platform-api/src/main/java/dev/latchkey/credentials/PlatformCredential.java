package dev.latchkey.credentials;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;

import dev.latchkey.kernel.Provider;

/** One of the platform's own provider credentials, with its platform-wide caps (null: none). */
@Entity
@Table(name = "platform_credentials")
@DynamicUpdate
class PlatformCredential extends SealedCredential {

    @Column(name = "requests_per_minute")
    private Integer requestsPerMinute;
    @Column(name = "requests_per_month")
    private Long requestsPerMonth;

    protected PlatformCredential() {
    }

    PlatformCredential(UUID id, Provider provider, String label, Map<String, String> config,
            CredentialSealer.Sealed sealed, boolean isDefault, PlatformCredentialView.Cap cap, UUID createdBy,
            Instant now) {
        super(id, provider, label, config, sealed, isDefault, createdBy, now);
        changeCap(cap);
    }

    Integer requestsPerMinute() {
        return requestsPerMinute;
    }

    Long requestsPerMonth() {
        return requestsPerMonth;
    }

    void changeCap(PlatformCredentialView.Cap cap) {
        this.requestsPerMinute = cap.requestsPerMinute();
        this.requestsPerMonth = cap.requestsPerMonth();
    }

    PlatformCredentialView view() {
        return new PlatformCredentialView(id(), provider(), label(), config(), last4(), fingerprint(), isDefault(),
                new PlatformCredentialView.Cap(requestsPerMinute, requestsPerMonth), createdAt(), rotatedAt(),
                verifiedAt(), verification());
    }
}
