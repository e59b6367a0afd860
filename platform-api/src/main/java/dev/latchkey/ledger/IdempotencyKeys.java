package dev.latchkey.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.latchkey.crypto.EnvelopeEncryption;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;

/**
 * Idempotency-Key of billable requests, per API key (another key of the organization never
 * replays them). The first request under a key claims it; its result is stored (encrypted under
 * the organization's data key: it holds a live token) in the group commit of its ledger row, and returned to every retry within
 * {@code latchkey.ledger.idempotency.window} (24 h). A claim whose request failed is dropped so a
 * retry tries again; a claim left by a crashed instance may be taken over after
 * {@code in-progress-timeout}.
 */
@Component
class IdempotencyKeys {

    static final ProblemType KEY_REUSED = new ProblemType("/problems/idempotency-key-reused", 422,
            "Idempotency-Key reused for a different request");
    static final ProblemType KEY_IN_USE = new ProblemType("/problems/idempotency-key-in-use", 409,
            "A request with this Idempotency-Key is in progress");

    /** What claiming a key found. */
    sealed interface Claim permits Claimed, Replay {
    }

    /** The key is this request's: go ahead. */
    record Claimed() implements Claim {
    }

    /** An earlier request under the key completed: its ledger row and sealed result. */
    record Replay(UUID ledgerEntryId, byte[] result) implements Claim {
    }

    private final JdbcClient jdbc;
    private final EnvelopeEncryption encryption;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;
    private final Duration window;
    private final Duration inProgressTimeout;

    IdempotencyKeys(JdbcClient jdbc, EnvelopeEncryption encryption, PlatformTransactionManager transactions,
            Clock clock, LedgerProperties settings) {
        this.jdbc = jdbc;
        this.encryption = encryption;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
        this.window = settings.idempotency().window();
        // A claim left by a crashed instance may be taken over after this.
        this.inProgressTimeout = Duration.ofMinutes(2);
    }

    /**
     * @throws LatchkeyException 422 when the key was used for a different request, 409 while the
     *         first request under it is still in flight
     */
    Claim claim(BillableRequest request) {
        return ownTransaction.execute(status -> {
            Instant now = clock.instant();
            boolean claimed = jdbc.sql("""
                    INSERT INTO idempotency_keys AS k (org_id, api_key_id, idempotency_key, request_fingerprint, state,
                        created_at, expires_at)
                    VALUES (:orgId, :apiKeyId, :key, :fingerprint, 'in_progress', :now, :expiresAt)
                    ON CONFLICT (org_id, api_key_id, idempotency_key) DO UPDATE SET
                        request_fingerprint = EXCLUDED.request_fingerprint, state = 'in_progress',
                        ledger_entry_id = NULL, result_ciphertext = NULL, created_at = EXCLUDED.created_at,
                        expires_at = EXCLUDED.expires_at
                    WHERE k.expires_at <= :now OR (k.state = 'in_progress' AND k.created_at <= :staleBefore)
                    RETURNING true""")
                    .param("orgId", request.orgId()).param("apiKeyId", request.apiKeyId())
                    .param("key", request.idempotencyKey())
                    .param("fingerprint", request.requestFingerprint()).param("now", Timestamp.from(now))
                    .param("expiresAt", Timestamp.from(now.plus(window)))
                    .param("staleBefore", Timestamp.from(now.minus(inProgressTimeout)))
                    .query(Boolean.class).optional().isPresent();
            if (claimed) {
                return new Claimed();
            }
            List<Map<String, Object>> rows = jdbc.sql("""
                    SELECT request_fingerprint, state, ledger_entry_id, result_ciphertext FROM idempotency_keys
                    WHERE org_id = :orgId AND api_key_id = :apiKeyId AND idempotency_key = :key""")
                    .param("orgId", request.orgId()).param("apiKeyId", request.apiKeyId())
                    .param("key", request.idempotencyKey())
                    .query().listOfRows();
            if (rows.isEmpty()) {
                // The request that held the key failed and let go of it a moment ago.
                throw inUse();
            }
            Map<String, Object> existing = rows.get(0);
            if (!MessageDigest.isEqual(bytes((String) existing.get("request_fingerprint")),
                    bytes(request.requestFingerprint()))) {
                throw new LatchkeyException(KEY_REUSED, "This Idempotency-Key was used for a different request"
                        + " in the last " + window.toHours() + " hours; use a new key for a new request");
            }
            if ("in_progress".equals(existing.get("state"))) {
                throw inUse();
            }
            return new Replay((UUID) existing.get("ledger_entry_id"), (byte[]) existing.get("result_ciphertext"));
        });
    }

    /**
     * The result sealed under the organization's data key (it holds a live token), for the
     * group commit that completes the claim with the ledger row.
     */
    byte[] seal(BillableRequest request, byte[] result) {
        return encryption.encrypt(request.orgId(), context(request), result);
    }

    /** The stored result of a replay, decrypted. */
    byte[] open(BillableRequest request, Replay replay) {
        return encryption.decrypt(request.orgId(), context(request), replay.result());
    }

    /** Drops this request's claim (it failed and billed nothing), so that a retry tries again. */
    void abandon(BillableRequest request) {
        ownTransaction.executeWithoutResult(status -> jdbc.sql("""
                DELETE FROM idempotency_keys WHERE org_id = :orgId AND api_key_id = :apiKeyId
                    AND idempotency_key = :key AND state = 'in_progress' AND request_fingerprint = :fingerprint""")
                .param("orgId", request.orgId()).param("apiKeyId", request.apiKeyId())
                .param("key", request.idempotencyKey())
                .param("fingerprint", request.requestFingerprint())
                .update());
    }

    @Scheduled(fixedDelay = 10, timeUnit = TimeUnit.MINUTES)
    void purgeExpired() {
        jdbc.sql("DELETE FROM idempotency_keys WHERE expires_at <= :now")
                .param("now", Timestamp.from(clock.instant())).update();
    }

    private static LatchkeyException inUse() {
        return new LatchkeyException(KEY_IN_USE, "The first request with this Idempotency-Key is still in progress;"
                + " retry shortly", List.of(), Map.of("Retry-After", "1"));
    }

    private static String context(BillableRequest request) {
        return "idempotency:" + request.idempotencyKey();
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
