package dev.latchkey.apikeys;

import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.latchkey.kernel.SecretHasher;
import dev.latchkey.runtime.LatchkeyHome;

/**
 * The one {@link SecretHasher} of bearer secrets (platform keys, session tokens, invitations),
 * made here because its pepper is this module's setting: generated into the Latchkey home when
 * {@code latchkey.api-keys.pepper} is blank (the embedded default).
 */
@Configuration(proxyBeanMethods = false)
class SecretHasherConfiguration {

    @Bean
    SecretHasher secretHasher(ApiKeysProperties settings, LatchkeyHome home, SecureRandom random) {
        String configuredPepper = settings.pepper();
        byte[] pepper = configuredPepper.isBlank()
                ? home.generatedSecret("api-key-pepper", random)
                : Base64.getDecoder().decode(configuredPepper.trim());
        if (pepper.length < 32) {
            throw new IllegalStateException("latchkey.api-keys.pepper must be at least 32 bytes (base64)");
        }
        return new SecretHasher(pepper);
    }
}
