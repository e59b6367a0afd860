package dev.latchkey.audit;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One audit event as reviewers see it. {@code seq} is its position in the hash chain (what
 * verification names when a row was tampered with) and the order of every listing.
 */
public record AuditEventView(long seq, UUID id, Instant occurredAt, UUID orgId, String actorType, String actorId,
        String action, String targetType, String targetId, String outcome, String ip, String userAgent,
        String requestId, Map<String, String> details) {

    static AuditEventView of(AuditChain.Row row) {
        return new AuditEventView(row.seq(), row.id(), row.occurredAt(), row.orgId(), row.actorType(), row.actorId(),
                row.action(), row.targetType(), row.targetId(), row.outcome(), row.ip(), row.userAgent(),
                row.requestId(), row.details());
    }
}
