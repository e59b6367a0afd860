package dev.latchkey.credentials;

import java.util.Map;
import java.util.UUID;

/**
 * A provider credential as the broker picks it: its id, provider and config, and its secret
 * still sealed (only {@link CredentialService} can open it). What the credential cache holds:
 * never a plaintext secret.
 */
public final class StoredCredential {

    private final UUID id;
    private final UUID orgId;
    private final Provider provider;
    private final Map<String, String> config;
    private final byte[] ciphertext;

    StoredCredential(UUID id, UUID orgId, Provider provider, Map<String, String> config, byte[] ciphertext) {
        this.id = id;
        this.orgId = orgId;
        this.provider = provider;
        this.config = config;
        this.ciphertext = ciphertext;
    }

    public UUID id() {
        return id;
    }

    public UUID orgId() {
        return orgId;
    }

    public Provider provider() {
        return provider;
    }

    public Map<String, String> config() {
        return config;
    }

    byte[] ciphertext() {
        return ciphertext;
    }

    @Override
    public String toString() {
        return "StoredCredential[id=" + id + ", provider=" + provider + ", secret=***]";
    }
}
