package dev.latchkey.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import dev.latchkey.changes.ChangeFeed;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;

/**
 * Envelope encryption of tenant secrets: each organization has its own AES-256 data key,
 * stored only wrapped by the key-encryption key. A ciphertext is bound by its associated data
 * to its organization and to the record it belongs to, so it decrypts nowhere else. Unwrapped
 * data keys are cached for a bounded time ({@code latchkey.crypto.data-key-cache.*}).
 *
 * <p>The platform's own provider credentials live in a scope of their own ({@link DataKeyScope}):
 * each has a data key of its own, wrapped the same way, re-wrapped by the same rotation and
 * destroyed with the credential ({@link #destroy}).
 */
@Service
public class EnvelopeEncryption {

    private static final String ROTATION_LOCK = "latchkey:master-key-rotation";

    private final KeyEncryption keyEncryption;
    private final JdbcClient jdbc;
    private final SecureRandom random;
    private final Clock clock;
    private final ChangeFeed changes;
    private final Cache<DataKeyScope, byte[]> dataKeys;
    private final TransactionTemplate ownTransaction;
    private final Counter unwraps;
    private final PlatformDataKeys platformDataKeys;

    EnvelopeEncryption(KeyEncryption keyEncryption, PlatformDataKeys platformDataKeys, JdbcClient jdbc,
            SecureRandom random, Clock clock, ChangeFeed changes, PlatformTransactionManager transactions,
            MeterRegistry meters, CryptoProperties settings) {
        this.keyEncryption = keyEncryption;
        this.platformDataKeys = platformDataKeys;
        this.jdbc = jdbc;
        this.random = random;
        this.clock = clock;
        this.changes = changes;
        this.unwraps = Counter.builder("latchkey.crypto.data_key.unwraps")
                .description("Organizations' data keys unwrapped by the key-encryption backend (cache misses)")
                .register(meters);
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.dataKeys = Caffeine.newBuilder().expireAfterWrite(settings.dataKeyCache().ttl())
                .maximumSize(settings.dataKeyCache().maxSize()).build();
        // Crypto-shredding and re-wrapping reach every instance's cache, not only this one's.
        for (DataKeyScope.Kind kind : DataKeyScope.Kind.values()) {
            changes.subscribe(DataKeyScope.changeKind(kind), change -> {
                if (change.everything()) {
                    dataKeys.invalidateAll();
                } else {
                    dataKeys.invalidate(new DataKeyScope(kind, UUID.fromString(change.id())));
                }
            });
        }
    }

    /**
     * The result of re-wrapping every data key under the current key-encryption key version:
     * {@code rewrapped} organizations' and platform credentials' data keys, {@code platformKeysRewrapped}
     * the platform's keys of its own secrets (users' TOTP secrets).
     */
    public record Rotation(String backend, String version, int rewrapped, int platformKeysRewrapped) {
    }

    /**
     * Encrypts for one record of one organization, creating the organization's data key if needed.
     * Needs no transaction of its own: a new data key is committed on its own at once.
     */
    public byte[] encrypt(UUID orgId, String recordContext, byte[] plaintext) {
        return encrypt(DataKeyScope.organization(orgId), recordContext, plaintext);
    }

    /** {@link #encrypt(UUID, String, byte[])} in any scope, creating the scope's data key if needed. */
    public byte[] encrypt(DataKeyScope scope, String recordContext, byte[] plaintext) {
        return Aes256Gcm.encrypt(dataKey(scope, true), plaintext, scope.associatedData(recordContext), random);
    }

    /**
     * From the data-key cache on the request path: no transaction, no database read once the key
     * is cached.
     *
     * @throws DecryptionFailedException for another organization's or record's ciphertext, or a shredded key
     */
    public byte[] decrypt(UUID orgId, String recordContext, byte[] sealed) {
        return decrypt(DataKeyScope.organization(orgId), recordContext, sealed);
    }

    /** {@link #decrypt(UUID, String, byte[])} in any scope: a ciphertext of another scope never decrypts. */
    public byte[] decrypt(DataKeyScope scope, String recordContext, byte[] sealed) {
        return Aes256Gcm.decrypt(dataKey(scope, false), sealed, scope.associatedData(recordContext));
    }

    /**
     * A short, non-reversible fingerprint of a secret under a key derived from the organization's
     * data key: equal secrets of one organization match, nothing is learned across organizations.
     */
    public String fingerprint(UUID orgId, byte[] secret) {
        return fingerprint(DataKeyScope.organization(orgId), secret);
    }

    /** {@link #fingerprint(UUID, byte[])} under the scope's data key. */
    public String fingerprint(DataKeyScope scope, byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(dataKey(scope, true), "HmacSHA256"));
            byte[] fingerprintKey = mac.doFinal("latchkey:fingerprint:v1".getBytes(StandardCharsets.US_ASCII));
            mac.init(new SecretKeySpec(fingerprintKey, "HmacSHA256"));
            return "fp_" + HexFormat.of().formatHex(mac.doFinal(secret), 0, 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /**
     * Destroys a platform credential's data key (crypto-shredding) in the caller's transaction: once
     * it commits, no copy of the credential's ciphertext decrypts again, on any instance (the table's
     * trigger drops every instance's cached key). An organization's key goes with the organization
     * (a foreign-key cascade).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void destroy(DataKeyScope scope) {
        if (scope.kind() != DataKeyScope.Kind.PLATFORM_CREDENTIAL) {
            throw new IllegalArgumentException("An organization's data key is destroyed with the organization");
        }
        jdbc.sql("DELETE FROM platform_credential_data_keys WHERE credential_id = :id").param("id", scope.id()).update();
        changes.publishLocallyAfterCommit(DataKeyScope.changeKind(scope.kind()), scope.id().toString());
    }

    /**
     * Rotates the key-encryption key and re-wraps every data key under the new version; until a
     * row is re-wrapped its old version keeps decrypting it. One rotation at a time across the
     * cluster (a PostgreSQL advisory lock held by this transaction): a second one meanwhile is a
     * 409, so that two instances can never each add "the next version" of a shared keyring.
     */
    @Transactional
    public Rotation rotateKeyEncryptionKey() {
        boolean alone = Boolean.TRUE.equals(jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", ROTATION_LOCK).query(Boolean.class).single());
        if (!alone) {
            throw new LatchkeyException(ProblemType.CONFLICT,
                    "Another master key rotation is under way; try again when it has finished");
        }
        keyEncryption.rotate();
        String version = keyEncryption.currentVersion();
        int rewrapped = 0;
        for (DataKeyScope.Kind kind : DataKeyScope.Kind.values()) {
            List<UUID> ids = jdbc.sql("SELECT " + DataKeyScope.keyColumn(kind) + " FROM " + DataKeyScope.table(kind)
                    + " WHERE kek_backend <> :backend OR kek_version <> :version")
                    .param("backend", keyEncryption.backend())
                    .param("version", version)
                    .query(UUID.class)
                    .list();
            for (UUID id : ids) {
                DataKeyScope scope = new DataKeyScope(kind, id);
                Optional<WrappedKey> wrapped = wrappedKey(scope);
                if (wrapped.isPresent()) {
                    WrappedKey fresh = keyEncryption.rewrap(wrapped.get());
                    rewrapped += jdbc.sql("UPDATE " + DataKeyScope.table(kind) + " SET wrapped_key = :ciphertext,"
                            + " kek_backend = :backend, kek_version = :version, rewrapped_at = :now"
                            + " WHERE " + DataKeyScope.keyColumn(kind) + " = :id AND wrapped_key = :previous")
                            .param("ciphertext", fresh.ciphertext())
                            .param("backend", fresh.backend())
                            .param("version", fresh.version())
                            .param("now", Timestamp.from(clock.instant()))
                            .param("id", id)
                            .param("previous", wrapped.get().ciphertext())
                            .update();
                }
            }
        }
        return new Rotation(keyEncryption.backend(), version, rewrapped, platformDataKeys.rewrap());
    }

    /**
     * The scope's data key, unwrapped once per cache lifetime: concurrent first uses share
     * one load (no stampede on the key-encryption backend).
     */
    private byte[] dataKey(DataKeyScope scope, boolean create) {
        byte[] key = dataKeys.get(scope, this::unwrapStored);
        if (key != null) {
            return key;
        }
        if (!create) {
            throw new DecryptionFailedException();
        }
        byte[] fresh = new byte[Aes256Gcm.KEY_BYTES];
        random.nextBytes(fresh);
        WrappedKey sealed = keyEncryption.wrap(fresh);
        // Committed at once, on its own: a key cached from a transaction that then rolled back
        // would encrypt under a key that was never stored.
        ownTransaction.executeWithoutResult(status -> jdbc.sql("INSERT INTO " + DataKeyScope.table(scope.kind())
                + " (" + DataKeyScope.keyColumn(scope.kind()) + ", wrapped_key, kek_backend, kek_version, created_at)"
                + " VALUES (:id, :ciphertext, :backend, :version, :now) ON CONFLICT DO NOTHING")
                .param("id", scope.id())
                .param("ciphertext", sealed.ciphertext())
                .param("backend", sealed.backend())
                .param("version", sealed.version())
                .param("now", Timestamp.from(clock.instant()))
                .update());
        // Another transaction may have won the race: the stored key is the one.
        key = unwrapStored(scope);
        if (key == null) {
            throw new DecryptionFailedException();
        }
        return key;
    }

    /** The stored data key, unwrapped; null when the scope has none (nothing is cached then). */
    private byte[] unwrapStored(DataKeyScope scope) {
        return wrappedKey(scope).map(wrapped -> {
            unwraps.increment();
            return keyEncryption.unwrap(wrapped);
        }).orElse(null);
    }

    private Optional<WrappedKey> wrappedKey(DataKeyScope scope) {
        return jdbc.sql("SELECT kek_backend, kek_version, wrapped_key FROM " + DataKeyScope.table(scope.kind())
                + " WHERE " + DataKeyScope.keyColumn(scope.kind()) + " = :id")
                .param("id", scope.id())
                .query((rs, n) -> new WrappedKey(rs.getString(1), rs.getString(2), rs.getString(3)))
                .optional();
    }
}
