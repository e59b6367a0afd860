package dev.latchkey.crypto;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Envelope encryption ({@code latchkey.crypto.*}): which backend wraps the data keys, and how long
 * unwrapped data keys stay in memory. Production mode refuses to start without the backend's
 * secrets (runtime/ProductionRequirements).
 *
 * @param backend the key-encryption backend
 * @param local the local backend's master key
 * @param vault the Vault Transit backend
 * @param dataKeyCache unwrapped data keys kept in memory
 */
@Validated
@ConfigurationProperties("latchkey.crypto")
record CryptoProperties(
        @DefaultValue("local") @NotNull Backend backend,
        @DefaultValue @Valid Local local,
        @DefaultValue @Valid Vault vault,
        @DefaultValue @Valid DataKeyCache dataKeyCache) {

    enum Backend {
        /** A master key (or keyring) of the operator's, or one generated in the embedded default. */
        LOCAL,
        /** Vault's Transit engine. */
        VAULT
    }

    /**
     * @param masterKey the local 256-bit master key, base64, or a keyring {@code "2:<base64>,1:<base64>"}
     * @param masterKeyFile a file holding the local master key
     */
    record Local(@DefaultValue("") String masterKey, @DefaultValue("") String masterKeyFile) {

        @Override
        public String toString() {
            return "Local[masterKey=" + (masterKey.isEmpty() ? "" : "***") + ", masterKeyFile=" + masterKeyFile + "]";
        }
    }

    /**
     * @param uri Vault's address
     * @param token a Vault token (or the AppRole login below)
     * @param appRole an AppRole login
     * @param transitPath the Transit engine's mount
     * @param keyName the Transit key that wraps the data keys (created if missing)
     */
    record Vault(@DefaultValue("") String uri, @DefaultValue("") String token, @DefaultValue @Valid AppRole appRole,
            @DefaultValue("transit") @NotBlank String transitPath, @DefaultValue("latchkey") @NotBlank String keyName) {

        @Override
        public String toString() {
            return "Vault[uri=" + uri + ", token=" + (token.isEmpty() ? "" : "***") + ", appRole=" + appRole
                    + ", transitPath=" + transitPath + ", keyName=" + keyName + "]";
        }
    }

    /**
     * @param roleId the AppRole's role id
     * @param secretId the AppRole's secret id
     */
    record AppRole(@DefaultValue("") String roleId, @DefaultValue("") String secretId) {

        @Override
        public String toString() {
            return "AppRole[roleId=" + roleId + ", secretId=" + (secretId.isEmpty() ? "" : "***") + "]";
        }
    }

    /**
     * @param ttl how long an unwrapped data key stays in memory
     * @param maxSize how many unwrapped data keys stay in memory
     */
    record DataKeyCache(@DefaultValue("5m") @NotNull Duration ttl, @DefaultValue("10000") @Positive long maxSize) {
    }
}
