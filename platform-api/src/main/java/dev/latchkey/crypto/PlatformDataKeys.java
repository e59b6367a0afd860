package dev.latchkey.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.accounts.AccountSecrets;

/**
 * Data keys of the platform's own secrets, one per purpose ({@code accounts}: users' TOTP secrets),
 * stored only wrapped by the key-encryption key, exactly like the organizations' data keys, and
 * re-wrapped by the same master-key rotation ({@link EnvelopeEncryption#rotateKeyEncryptionKey}).
 * A ciphertext is bound by its associated data to its user and purpose.
 */
@Component
class PlatformDataKeys implements AccountSecrets {

    static final String ACCOUNTS = "accounts";

    private final KeyEncryption keyEncryption;
    private final JdbcClient jdbc;
    private final SecureRandom random;
    private final Clock clock;
    private final Cache<String, byte[]> dataKeys;

    PlatformDataKeys(KeyEncryption keyEncryption, JdbcClient jdbc, SecureRandom random, Clock clock,
            CryptoProperties settings) {
        this.keyEncryption = keyEncryption;
        this.jdbc = jdbc;
        this.random = random;
        this.clock = clock;
        this.dataKeys = Caffeine.newBuilder().expireAfterWrite(settings.dataKeyCache().ttl()).maximumSize(16).build();
    }

    @Override
    @Transactional(propagation = Propagation.REQUIRED)
    public byte[] seal(UUID userId, String purpose, byte[] plaintext) {
        return Aes256Gcm.encrypt(dataKey(ACCOUNTS), plaintext, associatedData(userId, purpose), random);
    }

    @Override
    @Transactional(propagation = Propagation.REQUIRED)
    public byte[] open(UUID userId, String purpose, byte[] sealed) {
        try {
            return Aes256Gcm.decrypt(dataKey(ACCOUNTS), sealed, associatedData(userId, purpose));
        } catch (DecryptionFailedException e) {
            throw new IllegalStateException("A sealed account secret does not open for its user and purpose", e);
        }
    }

    /** Re-wraps every platform data key not under the current key version; how many were. */
    int rewrap() {
        List<String> purposes = jdbc.sql("""
                SELECT purpose FROM platform_data_keys WHERE kek_backend <> :backend OR kek_version <> :version""")
                .param("backend", keyEncryption.backend())
                .param("version", keyEncryption.currentVersion())
                .query(String.class).list();
        int rewrapped = 0;
        for (String purpose : purposes) {
            Optional<WrappedKey> wrapped = wrappedKey(purpose);
            if (wrapped.isPresent()) {
                WrappedKey fresh = keyEncryption.rewrap(wrapped.get());
                rewrapped += jdbc.sql("""
                        UPDATE platform_data_keys SET wrapped_key = :ciphertext, kek_backend = :backend,
                               kek_version = :version, rewrapped_at = :now
                        WHERE purpose = :purpose AND wrapped_key = :previous""")
                        .param("ciphertext", fresh.ciphertext())
                        .param("backend", fresh.backend())
                        .param("version", fresh.version())
                        .param("now", Timestamp.from(clock.instant()))
                        .param("purpose", purpose)
                        .param("previous", wrapped.get().ciphertext())
                        .update();
            }
        }
        return rewrapped;
    }

    private byte[] dataKey(String purpose) {
        byte[] cached = dataKeys.getIfPresent(purpose);
        if (cached != null) {
            return cached;
        }
        Optional<WrappedKey> wrapped = wrappedKey(purpose);
        if (wrapped.isEmpty()) {
            byte[] fresh = new byte[Aes256Gcm.KEY_BYTES];
            random.nextBytes(fresh);
            WrappedKey sealed = keyEncryption.wrap(fresh);
            jdbc.sql("""
                    INSERT INTO platform_data_keys (purpose, wrapped_key, kek_backend, kek_version, created_at)
                    VALUES (:purpose, :ciphertext, :backend, :version, :now) ON CONFLICT (purpose) DO NOTHING""")
                    .param("purpose", purpose)
                    .param("ciphertext", sealed.ciphertext())
                    .param("backend", sealed.backend())
                    .param("version", sealed.version())
                    .param("now", Timestamp.from(clock.instant()))
                    .update();
            // Another instance may have won the race: the stored key is the one.
            wrapped = wrappedKey(purpose);
        }
        byte[] key = keyEncryption.unwrap(wrapped.orElseThrow(DecryptionFailedException::new));
        dataKeys.put(purpose, key);
        return key;
    }

    private Optional<WrappedKey> wrappedKey(String purpose) {
        return jdbc.sql("SELECT kek_backend, kek_version, wrapped_key FROM platform_data_keys WHERE purpose = :purpose")
                .param("purpose", purpose)
                .query((rs, n) -> new WrappedKey(rs.getString(1), rs.getString(2), rs.getString(3)))
                .optional();
    }

    private static byte[] associatedData(UUID userId, String purpose) {
        return ("latchkey:v1:platform:accounts:user=" + userId + ":" + purpose).getBytes(StandardCharsets.UTF_8);
    }
}
