package dev.latchkey.sessions;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import dev.latchkey.accounts.OrgAccess;
import dev.latchkey.accounts.Permission;
import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.broker.HangupResult;
import dev.latchkey.broker.RealtimeCalls;
import dev.latchkey.credentials.CredentialService;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Page;
import dev.latchkey.kernel.PageCursor;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.kernel.Provider;
import dev.latchkey.kernel.Scope;
import dev.latchkey.web.RequestMetadata;

/**
 * The calls registry: every call proxied through {@code POST /v1/realtime/calls}, how and when
 * it ended, and the session caps. A cap is a persisted deadline ({@code hangup_due_at}); the
 * scheduler of every instance takes due calls one by one with {@code FOR UPDATE SKIP LOCKED},
 * so exactly one instance hangs each up, also after the instance that proxied it is gone.
 */
@Service
public class CallRegistry {

    private static final Logger log = LoggerFactory.getLogger(CallRegistry.class);
    private static final String COLUMNS = "id, org_id, api_key_id, provider,"
            + " coalesce(credential_id, platform_credential_id) AS pinned_credential_id, credential_source,"
            + " provider_call_id, end_user, started_at, max_session_seconds, hangup_due_at, hangup_attempts, ended_at,"
            + " end_reason";
    /** Hang-up attempts before a cap is given up (backoff 2, 4, ... 60 s: about six minutes in all). */
    static final int MAX_HANGUP_ATTEMPTS = 10;
    private static final int BATCH = 100;

    private final JdbcClient jdbc;
    private final RealtimeCalls realtimeCalls;
    private final CredentialService credentials;
    private final OrgAccess orgAccess;
    private final AuditService audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    CallRegistry(JdbcClient jdbc, RealtimeCalls realtimeCalls, CredentialService credentials, OrgAccess orgAccess,
            AuditService audit, PlatformTransactionManager transactionManager, Clock clock) {
        this.jdbc = jdbc;
        this.realtimeCalls = realtimeCalls;
        this.credentials = credentials;
        this.orgAccess = orgAccess;
        this.audit = audit;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** {@code credentialId}: the organization's own, or with {@code managed} the platform's (never shown). */
    private record CallRow(UUID id, UUID orgId, UUID apiKeyId, Provider provider, UUID credentialId, boolean managed,
            String providerCallId, String endUser, Instant startedAt, Integer maxSessionSeconds, Instant hangupDueAt,
            int hangupAttempts, Instant endedAt, String endReason) {

        CallView view() {
            return new CallView(id, provider.id(), providerCallId, endUser, apiKeyId, managed ? null : credentialId,
                    managed ? "managed" : "own", startedAt, maxSessionSeconds, hangupDueAt, endedAt, endReason);
        }
    }

    /** Records a call the provider has answered, with its cap's deadline when the token carried one. */
    @Transactional
    CallView recordStarted(SessionTokens.StoredToken token, UUID callId, String providerCallId, Instant startedAt) {
        Instant due = token.maxSessionSeconds() == null ? null : startedAt.plusSeconds(token.maxSessionSeconds());
        jdbc.sql("""
                INSERT INTO realtime_calls (id, org_id, session_token_id, api_key_id, provider, credential_id,
                    platform_credential_id, credential_source, provider_call_id, end_user, request_id, started_at,
                    max_session_seconds, hangup_due_at)
                VALUES (:id, :orgId, :tokenId, :apiKeyId, :provider, :credentialId, :platformCredentialId, :source,
                    :providerCallId, :endUser, :requestId, :startedAt, :maxSessionSeconds, :due)""")
                .param("id", callId).param("orgId", token.orgId()).param("tokenId", token.id())
                .param("apiKeyId", token.apiKeyId()).param("provider", token.provider().id())
                .param("credentialId", token.managed() ? null : token.credentialId(), Types.OTHER)
                .param("platformCredentialId", token.managed() ? token.credentialId() : null, Types.OTHER)
                .param("source", token.managed() ? "managed" : "own")
                .param("providerCallId", providerCallId)
                .param("endUser", token.endUser()).param("requestId", RequestMetadata.current().requestId())
                .param("startedAt", Timestamp.from(startedAt)).param("maxSessionSeconds", token.maxSessionSeconds())
                .param("due", due == null ? null : Timestamp.from(due))
                .update();
        audit.record(AuditEvent.success("realtime_call.started").by(CallProxy.minter(token)).org(token.orgId())
                .target("realtime_call", callId).detail("provider", token.provider().id())
                .detail("provider_call_id", providerCallId).detail("session_token", token.id())
                .detail("max_session_seconds", token.maxSessionSeconds()).build());
        return find(callId).orElseThrow().view();
    }

    /** One call of the key's organization (keys with {@code sessions:mint} or {@code usage:read}). */
    @Transactional(readOnly = true)
    public CallView get(Caller caller, UUID callId) {
        Caller.ApiKey key = caller.require(Scope.SESSIONS_MINT, Scope.USAGE_READ);
        return find(callId).filter(call -> call.orgId().equals(key.orgId())).map(CallRow::view)
                .orElseThrow(() -> LatchkeyException.notFound("Call"));
    }

    /** The organization's calls, newest first, a page at a time. */
    @Transactional(readOnly = true)
    public Page<CallView> list(Caller caller, UUID orgId, String cursor, int limit) {
        orgAccess.require(caller, orgId, Permission.USAGE_READ);
        int size = Page.limit(limit);
        JdbcClient.StatementSpec query;
        if (cursor == null || cursor.isBlank()) {
            query = jdbc.sql("SELECT " + COLUMNS + " FROM realtime_calls WHERE org_id = :orgId"
                    + " ORDER BY started_at DESC, id DESC LIMIT :limit");
        } else {
            PageCursor before = PageCursor.decode(cursor);
            query = jdbc.sql("SELECT " + COLUMNS + " FROM realtime_calls WHERE org_id = :orgId"
                    + " AND (started_at, id) < (:startedAt, :id) ORDER BY started_at DESC, id DESC LIMIT :limit")
                    .param("startedAt", Timestamp.from(before.time())).param("id", before.id());
        }
        List<CallRow> rows = query.param("orgId", orgId).param("limit", size + 1).query(CallRegistry::row).list();
        return Page.slice(rows, size, call -> new PageCursor(call.startedAt(), call.id()).encode()).map(CallRow::view);
    }

    /**
     * The app ends a call early (a key of the call's organization with {@code sessions:mint}).
     * A call that has ended already is returned as it is; 409 where the provider cannot end
     * calls from the server; 502/504 when it fails, and the call stays open (its cap still holds).
     */
    @Transactional
    public CallView hangUp(Caller caller, UUID callId) {
        Caller.ApiKey key = caller.require(Scope.SESSIONS_MINT);
        CallRow call = jdbc.sql("SELECT " + COLUMNS + " FROM realtime_calls WHERE id = :id AND org_id = :orgId"
                        + " FOR UPDATE")
                .param("id", callId).param("orgId", key.orgId()).query(CallRegistry::row).optional()
                .orElseThrow(() -> LatchkeyException.notFound("Call"));
        if (call.endReason() != null) {
            return call.view();
        }
        if (!realtimeCalls.canHangUp(call.provider()) || call.providerCallId() == null) {
            throw new LatchkeyException(RealtimeCalls.HANGUP_UNSUPPORTED, call.provider()
                    + " offers no way to end a call from the server");
        }
        if (call.credentialId() == null) {
            throw new LatchkeyException(ProblemType.CONFLICT,
                    "The credential this call started with was deleted; Latchkey can no longer reach the call");
        }
        DecryptedCredential credential = credentials.usePinned(key, key.orgId(), call.provider(), call.credentialId(),
                call.managed());
        HangupResult result = realtimeCalls.hangUp(credential, call.providerCallId());
        EndReason reason = result == HangupResult.ENDED ? EndReason.HANGUP : EndReason.ALREADY_ENDED;
        end(call, reason, clock.instant());
        audit.record(AuditEvent.success("realtime_call.ended").by(key).org(call.orgId()).target("realtime_call", callId)
                .detail("end_reason", reason.value()).build());
        return find(callId).orElseThrow().view();
    }

    /**
     * Ends every call whose cap is due, one per transaction: the row stays locked while its
     * provider is told, so no other instance hangs it up too. A failed hang-up is retried with
     * backoff and given up ({@code hangup_failed}) after {@link #MAX_HANGUP_ATTEMPTS}.
     *
     * @return how many calls were handled
     */
    int endDueCalls() {
        int handled = 0;
        while (handled < BATCH) {
            UUID[] current = new UUID[1];
            try {
                Boolean found = transactions.execute(status -> {
                    Optional<CallRow> due = jdbc.sql("SELECT " + COLUMNS + " FROM realtime_calls"
                                    + " WHERE end_reason IS NULL AND hangup_due_at <= :now"
                                    + " ORDER BY hangup_due_at LIMIT 1 FOR UPDATE SKIP LOCKED")
                            .param("now", Timestamp.from(clock.instant())).query(CallRegistry::row).optional();
                    due.ifPresent(call -> {
                        current[0] = call.id();
                        endAtCap(call);
                    });
                    return due.isPresent();
                });
                if (!Boolean.TRUE.equals(found)) {
                    return handled;
                }
                handled++;
            } catch (RuntimeException failure) {
                log.warn("Ending call {} at its session cap failed; it is retried later: {}", current[0],
                        failure.toString());
                if (current[0] != null) {
                    transactions.executeWithoutResult(status -> retryLater(current[0], clock.instant()));
                }
                return handled;
            }
        }
        return handled;
    }

    private void endAtCap(CallRow call) {
        Instant now = clock.instant();
        if (call.credentialId() == null || call.providerCallId() == null || !realtimeCalls.canHangUp(call.provider())) {
            jdbc.sql("UPDATE realtime_calls SET end_reason = 'hangup_failed', hangup_due_at = NULL WHERE id = :id")
                    .param("id", call.id()).update();
            audit.record(AuditEvent.failure("realtime_call.ended").org(call.orgId()).target("realtime_call", call.id())
                    .detail("end_reason", EndReason.HANGUP_FAILED.value())
                    .detail("cause", call.credentialId() == null ? "credential deleted" : "no call id to hang up")
                    .build());
            return;
        }
        DecryptedCredential credential = credentials.useAsSystem(call.orgId(), call.provider(), call.credentialId(),
                call.managed());
        HangupResult result;
        try {
            result = realtimeCalls.hangUp(credential, call.providerCallId());
        } catch (LatchkeyException failure) {
            log.warn("Hanging up call {} at its session cap failed: {}", call.id(), failure.getMessage());
            retryLater(call.id(), clock.instant());
            return;
        }
        EndReason reason = result == HangupResult.ENDED ? EndReason.MAX_SESSION_SECONDS : EndReason.ALREADY_ENDED;
        end(call, reason, now);
        audit.record(AuditEvent.success("realtime_call.ended").org(call.orgId()).target("realtime_call", call.id())
                .detail("end_reason", reason.value()).detail("max_session_seconds", call.maxSessionSeconds()).build());
    }

    /** One more failed attempt: due again after a backoff, or given up after the last one. */
    private void retryLater(UUID callId, Instant now) {
        String reason = jdbc.sql("""
                UPDATE realtime_calls SET hangup_attempts = hangup_attempts + 1,
                    hangup_due_at = CASE WHEN hangup_attempts + 1 >= :max THEN NULL
                        ELSE CAST(:now AS timestamptz) + make_interval(secs => least(power(2, hangup_attempts + 1), 60))
                        END,
                    end_reason = CASE WHEN hangup_attempts + 1 >= :max THEN 'hangup_failed' END
                WHERE id = :id AND end_reason IS NULL
                RETURNING coalesce(end_reason, '')""")
                .param("max", MAX_HANGUP_ATTEMPTS).param("now", Timestamp.from(now)).param("id", callId)
                .query(String.class).optional().orElse("");
        if (reason.equals(EndReason.HANGUP_FAILED.value())) {
            find(callId).ifPresent(call -> audit.record(AuditEvent.failure("realtime_call.ended").org(call.orgId())
                    .target("realtime_call", callId).detail("end_reason", reason)
                    .detail("cause", "the provider could not be told after " + MAX_HANGUP_ATTEMPTS + " attempts")
                    .build()));
        }
    }

    private void end(CallRow call, EndReason reason, Instant now) {
        jdbc.sql("UPDATE realtime_calls SET ended_at = :now, end_reason = :reason, hangup_due_at = NULL WHERE id = :id")
                .param("now", Timestamp.from(now)).param("reason", reason.value()).param("id", call.id()).update();
    }

    private Optional<CallRow> find(UUID callId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM realtime_calls WHERE id = :id").param("id", callId)
                .query(CallRegistry::row).optional();
    }

    private static CallRow row(ResultSet rs, int n) throws SQLException {
        return new CallRow(rs.getObject("id", UUID.class), rs.getObject("org_id", UUID.class),
                rs.getObject("api_key_id", UUID.class), Provider.parse(rs.getString("provider")).orElseThrow(),
                rs.getObject("pinned_credential_id", UUID.class), "managed".equals(rs.getString("credential_source")),
                rs.getString("provider_call_id"), rs.getString("end_user"),
                instant(rs, "started_at"), (Integer) rs.getObject("max_session_seconds"), instant(rs, "hangup_due_at"),
                rs.getInt("hangup_attempts"), instant(rs, "ended_at"), rs.getString("end_reason"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
