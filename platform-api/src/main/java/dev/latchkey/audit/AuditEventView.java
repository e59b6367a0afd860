package dev.latchkey.audit;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One audit event as reviewers see it. {@code seq} is its position in the hash chain (what
 * verification names when a row was tampered with) and the order of every listing; an event
 * the linker has not appended to the chain yet has no seq and {@code linked} false.
 */
public record AuditEventView(Long seq, boolean linked, UUID id, Instant occurredAt, UUID orgId, String actorType, String actorId,
        String action, String targetType, String targetId, String outcome, String ip, String userAgent,
        String requestId, Map<String, String> details) {

    static AuditEventView of(AuditChain.Row row) {
        return new AuditEventView(row.seq(), true, row.id(), row.occurredAt(), row.orgId(), row.actorType(), row.actorId(),
                row.action(), row.targetType(), row.targetId(), row.outcome(), row.ip(), row.userAgent(),
                row.requestId(), row.details());
    }

    /** A pending event: the same fields, no place in the chain yet. */
    static AuditEventView pending(AuditChain.Row row) {
        return new AuditEventView(null, false, row.id(), row.occurredAt(), row.orgId(), row.actorType(), row.actorId(),
                row.action(), row.targetType(), row.targetId(), row.outcome(), row.ip(), row.userAgent(),
                row.requestId(), row.details());
    }
}
