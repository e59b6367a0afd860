package dev.latchkey.crypto;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.vault.authentication.AppRoleAuthentication;
import org.springframework.vault.authentication.AppRoleAuthenticationOptions;
import org.springframework.vault.authentication.ClientAuthentication;
import org.springframework.vault.authentication.TokenAuthentication;
import org.springframework.vault.client.RestTemplateBuilder;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultTemplate;

import dev.latchkey.runtime.LatchkeyHome;

/** Chooses the key-encryption backend: Vault Transit, a configured local keyring, or a generated one. */
@Configuration(proxyBeanMethods = false)
class KeyEncryptionConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KeyEncryptionConfiguration.class);

    @Bean
    KeyEncryption keyEncryption(CryptoProperties settings, LatchkeyHome home, SecureRandom random) {
        if (settings.backend() == CryptoProperties.Backend.VAULT) {
            CryptoProperties.Vault vaultSettings = settings.vault();
            VaultTemplate vault = vaultTemplate(vaultSettings.uri(), vaultSettings.token(),
                    vaultSettings.appRole().roleId(), vaultSettings.appRole().secretId());
            log.info("Data keys are wrapped by Vault Transit key '{}' at {}", vaultSettings.keyName(),
                    vaultSettings.uri());
            return new VaultTransitKeyEncryption(vault.opsForTransit(vaultSettings.transitPath()),
                    vaultSettings.keyName());
        }
        String masterKey = settings.local().masterKey();
        String masterKeyFile = settings.local().masterKeyFile();
        if (!masterKey.isBlank()) {
            log.info("Data keys are wrapped by the configured local master key");
            return LocalKeyring.fromConfiguration(masterKey, random);
        }
        if (!masterKeyFile.isBlank()) {
            log.info("Data keys are wrapped by the local master key file {}", masterKeyFile);
            return LocalKeyring.fromFile(Path.of(masterKeyFile), random);
        }
        Path generated = home.generatedSecretFile("master.key", random);
        log.warn("Data keys are wrapped by the generated master key {} (embedded default, not for production)",
                generated);
        return LocalKeyring.fromFile(generated, random);
    }

    static VaultTemplate vaultTemplate(String uri, String token, String roleId, String secretId) {
        if (uri.isBlank()) {
            throw new IllegalStateException("latchkey.crypto.vault.uri is required for the vault backend");
        }
        VaultEndpoint endpoint = VaultEndpoint.from(URI.create(uri));
        ClientAuthentication authentication;
        if (!token.isBlank()) {
            authentication = new TokenAuthentication(token);
        } else if (!roleId.isBlank()) {
            authentication = new AppRoleAuthentication(AppRoleAuthenticationOptions.builder()
                    .roleId(AppRoleAuthenticationOptions.RoleId.provided(roleId))
                    .secretId(AppRoleAuthenticationOptions.SecretId.provided(secretId))
                    .build(), RestTemplateBuilder.builder().endpoint(endpoint).build());
        } else {
            throw new IllegalStateException("The vault backend needs latchkey.crypto.vault.token or"
                    + " latchkey.crypto.vault.app-role.role-id and secret-id");
        }
        return new VaultTemplate(endpoint, authentication);
    }
}
