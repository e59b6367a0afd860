package dev.latchkey.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.latchkey.web.Ids;
import dev.latchkey.web.RequestMetadata;

/** Writes an event to {@code audit_pending}, in the caller's transaction; the linker takes it from there. */
@Component
class PendingEvents {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final LinkerSignal linker;

    PendingEvents(JdbcClient jdbc, Clock clock, LinkerSignal linker) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.linker = linker;
    }

    void append(AuditEvent event) {
        RequestMetadata request = RequestMetadata.current();
        jdbc.sql("""
                INSERT INTO audit_pending (event_id, occurred_at, org_id, actor_type, actor_id, action, target_type,
                    target_id, outcome, ip, user_agent, request_id, details)
                VALUES (:id, :occurredAt, :orgId, :actorType, :actorId, :action, :targetType, :targetId, :outcome, :ip,
                    :userAgent, :requestId, CAST(:details AS jsonb))""")
                .param("id", Ids.newId())
                .param("occurredAt", Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MICROS)))
                .param("orgId", event.orgId())
                .param("actorType", lower(event.actorType()))
                .param("actorId", event.actorId())
                .param("action", event.action())
                .param("targetType", event.targetType())
                .param("targetId", event.targetId())
                .param("outcome", lower(event.outcome()))
                .param("ip", request.ip())
                .param("userAgent", request.userAgent())
                .param("requestId", request.requestId())
                .param("details", AuditRows.json(event.details()))
                .update();
        linker.nudgeAfterCommit();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
