package dev.latchkey.credentials;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;

import dev.latchkey.kernel.Provider;

/**
 * One of an organization's provider credentials. Updates write the changed columns only: the
 * change feed's trigger fires on changes of the config, the secret and the default flag.
 */
@Entity
@Table(name = "provider_credentials")
@DynamicUpdate
class ProviderCredential extends SealedCredential {

    @Column(name = "org_id")
    private UUID orgId;

    protected ProviderCredential() {
    }

    ProviderCredential(UUID id, UUID orgId, Provider provider, String label, Map<String, String> config,
            CredentialSealer.Sealed sealed, boolean isDefault, UUID createdBy, Instant now) {
        super(id, provider, label, config, sealed, isDefault, createdBy, now);
        this.orgId = orgId;
    }

    UUID orgId() {
        return orgId;
    }

    CredentialView view() {
        return new CredentialView(id(), provider(), label(), config(), last4(), fingerprint(), isDefault(),
                createdAt(), rotatedAt(), verifiedAt(), verification());
    }
}
