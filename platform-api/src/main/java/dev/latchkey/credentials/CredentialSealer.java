package dev.latchkey.credentials;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.latchkey.crypto.DataKeyScope;
import dev.latchkey.crypto.EnvelopeEncryption;
import dev.latchkey.kernel.Provider;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seals and opens credential secrets, the organizations' and the platform's alike: the secret
 * fields as JSON, encrypted under the scope's data key and bound to the credential's id; what is
 * shown of it is its last four characters and a fingerprint.
 */
@Component
class CredentialSealer {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };

    private final EnvelopeEncryption encryption;
    private final JsonMapper json = JsonMapper.builder().build();

    CredentialSealer(EnvelopeEncryption encryption) {
        this.encryption = encryption;
    }

    record Sealed(byte[] ciphertext, String last4, String fingerprint) {
    }

    Sealed seal(DataKeyScope scope, UUID id, Provider provider, Map<String, String> secret) {
        byte[] plaintext = json.writeValueAsBytes(secret);
        try {
            String primary = secret.get(CredentialSchema.primarySecretField(provider));
            return new Sealed(encryption.encrypt(scope, context(id), plaintext),
                    primary.substring(primary.length() - 4),
                    encryption.fingerprint(scope, primary.getBytes(StandardCharsets.UTF_8)));
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    DecryptedCredential open(StoredCredential stored) {
        byte[] plaintext = encryption.decrypt(scope(stored), context(stored.id()), stored.ciphertext());
        try {
            Map<String, String> values = json.readValue(plaintext, STRING_MAP);
            Map<String, Secret> secrets = new LinkedHashMap<>();
            values.forEach((name, value) -> secrets.put(name, Secret.of(value)));
            return new DecryptedCredential(stored.id(), stored.orgId(), stored.provider(), stored.config(),
                    Map.copyOf(secrets));
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    static DataKeyScope scope(StoredCredential stored) {
        return stored.managed() ? DataKeyScope.platformCredential(stored.id()) : DataKeyScope.organization(stored.orgId());
    }

    static String context(UUID credentialId) {
        return "credential:" + credentialId;
    }
}
