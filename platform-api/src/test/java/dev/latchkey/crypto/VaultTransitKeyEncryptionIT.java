package dev.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.SecureRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.vault.support.VaultMount;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * The vault backend against a real Vault: {@code VAULT_ADDR} and {@code VAULT_TOKEN} when set,
 * else a dev-mode Vault container when a Docker engine answers, else skipped (and says so).
 */
class VaultTransitKeyEncryptionIT {

    private static final String NO_VAULT = "Skipped: no real Vault to test the Vault Transit backend against"
            + " (set VAULT_ADDR and VAULT_TOKEN, or run a Docker engine for a Vault container)";
    private static final Logger log = LoggerFactory.getLogger(VaultTransitKeyEncryptionIT.class);

    private static GenericContainer<?> container;
    private static VaultTemplate vault;

    @BeforeAll
    static void vault() {
        String address = System.getenv("VAULT_ADDR");
        String token = System.getenv("VAULT_TOKEN");
        if (address == null || token == null) {
            if (!dockerAnswers()) {
                log.warn(NO_VAULT);
                return;
            }
            container = new GenericContainer<>("hashicorp/vault:1.17")
                    .withEnv("VAULT_DEV_ROOT_TOKEN_ID", "latchkey-test-root")
                    .withExposedPorts(8200);
            container.start();
            address = "http://" + container.getHost() + ":" + container.getMappedPort(8200);
            token = "latchkey-test-root";
        }
        vault = KeyEncryptionConfiguration.vaultTemplate(address, token, "", "");
        if (!vault.opsForSys().getMounts().containsKey("latchkey-test-transit/")) {
            vault.opsForSys().mount("latchkey-test-transit", VaultMount.create("transit"));
        }
    }

    @AfterAll
    static void stop() {
        if (container != null) {
            container.stop();
        }
    }

    @Test
    void givenVaultTransit_whenWrappingRotatingAndRewrapping_thenDataKeysSurviveEveryStep() {
        assumeTrue(vault != null, NO_VAULT);
        VaultTransitKeyEncryption transit = new VaultTransitKeyEncryption(
                vault.opsForTransit("latchkey-test-transit"), "latchkey-it-" + System.nanoTime());
        byte[] dataKey = new byte[32];
        new SecureRandom().nextBytes(dataKey);

        WrappedKey wrapped = transit.wrap(dataKey);
        transit.rotate();
        WrappedKey rewrapped = transit.rewrap(wrapped);

        assertThat(wrapped.ciphertext()).startsWith("vault:v1:");
        assertThat(rewrapped.version()).isEqualTo("2").isEqualTo(transit.currentVersion());
        assertThat(transit.unwrap(wrapped)).isEqualTo(dataKey);
        assertThat(transit.unwrap(rewrapped)).isEqualTo(dataKey);
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
