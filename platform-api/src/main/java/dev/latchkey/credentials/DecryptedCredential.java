package dev.latchkey.credentials;

import java.util.Map;
import java.util.UUID;

import dev.latchkey.kernel.Provider;

/** A credential ready for one upstream call: its config and its secrets, which print as {@code ***}. */
public record DecryptedCredential(UUID id, UUID orgId, Provider provider, Map<String, String> config,
        Map<String, Secret> secrets) {

    public Secret secret(String field) {
        return secrets.get(field);
    }
}
