package dev.latchkey.audit;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.latchkey.kernel.AuditedChange;

/**
 * Records the changes other modules publish ({@link AuditedChange}) synchronously, in the
 * publisher's transaction: not after commit, so a change and its audit row commit or roll back
 * together, as with a direct {@link AuditService#record} call.
 */
@Component
class AuditedChanges {

    private final AuditService audit;

    AuditedChanges(AuditService audit) {
        this.audit = audit;
    }

    @EventListener
    void on(AuditedChange change) {
        AuditEvent.Builder event = AuditEvent.success(change.action()).by(change.actor()).org(change.orgId())
                .target(change.targetType(), change.targetId());
        change.details().forEach(event::detail);
        audit.record(event.build());
    }
}
