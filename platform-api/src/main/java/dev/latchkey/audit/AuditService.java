package dev.latchkey.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.latchkey.changes.InstanceIdentity;
import dev.latchkey.kernel.Caller;

/**
 * The one way to write the audit log. An event is written to {@code audit_pending} in the
 * transaction of the action it records (it commits or rolls back with it) and takes no lock;
 * the {@link AuditLinker} then appends pending events to the hash chain, in order, off the
 * request path. Review endpoints show pending events too.
 */
@Service
public class AuditService {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate ownTransaction;
    private final PendingEvents pending;
    private final ChainVerifier verifier;
    private final InstanceIdentity instance;

    AuditService(JdbcClient jdbc, Clock clock, PlatformTransactionManager transactions, PendingEvents pending,
            ChainVerifier verifier, InstanceIdentity instance) {
        this.instance = instance;
        this.jdbc = jdbc;
        this.clock = clock;
        this.pending = pending;
        this.verifier = verifier;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Records the event in the caller's transaction: it commits or rolls back with the action. */
    @Transactional(propagation = Propagation.REQUIRED)
    public void record(AuditEvent event) {
        append(event);
    }

    /** Records a refusal or failure that must stay on record although the action itself is rolled back. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordIndependently(AuditEvent event) {
        append(event);
    }

    /**
     * Records the event once the current transaction has ended, committed or rolled back, in a
     * transaction of its own (at once when there is none): for refusals found inside a
     * transaction that the refusal then rolls back.
     */
    public void recordAfterCompletion(AuditEvent event) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            ownTransaction.executeWithoutResult(status -> append(event));
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                ownTransaction.executeWithoutResult(own -> append(event));
            }
        });
    }

    /**
     * Counts one decryption of a credential for use, in the caller's transaction. Uses are
     * recorded per minute, credential and actor ({@code credential_usage}); the linker turns
     * each closed minute into one {@code credential.used} event with the count. The metering
     * path's group commit counts billed uses the same way, in its own statement. A use of the
     * platform's managed credential ({@code managed}) is counted in the organization's name, and
     * its event there never names the platform's credential.
     */
    @Transactional(propagation = Propagation.REQUIRED)
    public void credentialUsed(UUID orgId, UUID credentialId, String provider, Caller caller, boolean managed) {
        String actorType = caller == null ? "system" : caller instanceof Caller.ApiKey ? "api_key" : "user";
        String actorId = caller == null ? "latchkey" : caller.getName();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        jdbc.sql("""
                INSERT INTO credential_usage AS cu (minute, org_id, credential_id, provider, actor_type, actor_id, writer,
                    uses, first_at, last_at, managed)
                VALUES (date_trunc('minute', CAST(:now AS timestamptz)), :orgId, :credentialId, :provider, :actorType,
                    :actorId, :writer, 1, :now, :now, :managed)
                ON CONFLICT (minute, org_id, credential_id, actor_type, actor_id, writer) DO UPDATE
                    SET uses = cu.uses + 1, last_at = greatest(cu.last_at, EXCLUDED.last_at)""")
                .param("now", Timestamp.from(now)).param("orgId", orgId).param("credentialId", credentialId)
                .param("provider", provider).param("actorType", actorType).param("actorId", actorId)
                .param("writer", instance.id() + ":direct").param("managed", managed)
                .update();
    }

    /** Walks the whole chain and its signed checkpoints, in one snapshot. */
    public ChainVerification verifyChain() {
        return verifier.verifyAll();
    }

    private void append(AuditEvent event) {
        pending.append(event);
    }

}
