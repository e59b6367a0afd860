package dev.latchkey.sessions;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.latchkey.runtime.LatchkeyHome;

/**
 * HMAC-SHA-256 of a session token under the platform-key pepper ({@code latchkey.api-keys.pepper},
 * or the embedded default's generated one): the {@code session_tokens} table alone cannot turn
 * a hash back into a usable token. Tokens are looked up by their hash, which the database
 * compares exactly.
 */
@Component
class SessionTokenHasher {

    private final ThreadLocal<Mac> macs;

    SessionTokenHasher(@Value("${latchkey.api-keys.pepper:}") String configuredPepper, LatchkeyHome home,
            SecureRandom random) {
        byte[] pepper = configuredPepper.isBlank()
                ? home.generatedSecret("api-key-pepper", random)
                : Base64.getDecoder().decode(configuredPepper.trim());
        if (pepper.length < 32) {
            throw new IllegalStateException("latchkey.api-keys.pepper must be at least 32 bytes (base64)");
        }
        SecretKeySpec key = new SecretKeySpec(pepper, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
            }
        });
    }

    byte[] hash(String token) {
        return macs.get().doFinal(token.getBytes(StandardCharsets.US_ASCII));
    }
}
