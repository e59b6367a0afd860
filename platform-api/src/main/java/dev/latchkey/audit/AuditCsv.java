package dev.latchkey.audit;

import java.util.Arrays;
import java.util.List;

/** The audit export's columns: what one event is as a CSV record (written by {@code CsvWriter}). */
final class AuditCsv {

    static final List<String> COLUMNS = List.of("seq", "id", "occurred_at", "org_id", "actor_type", "actor_id",
            "action", "target_type", "target_id", "outcome", "ip", "user_agent", "request_id", "details");

    private AuditCsv() {
    }

    static List<Object> record(AuditEventView event) {
        return Arrays.asList(event.seq(), event.id(), event.occurredAt(), event.orgId(), event.actorType(),
                event.actorId(), event.action(), event.targetType(), event.targetId(), event.outcome(), event.ip(),
                event.userAgent(), event.requestId(), AuditRows.json(event.details()));
    }
}
