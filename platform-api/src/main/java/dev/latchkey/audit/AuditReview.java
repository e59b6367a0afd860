package dev.latchkey.audit;

import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.stereotype.Service;

import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.CsvWriter;
import dev.latchkey.kernel.Page;

/**
 * Who may review which part of the audit log: an organization's owners and admins (and its
 * admin-scoped keys) its own events; platform admins every organization's, and each of their
 * reads is itself recorded, in the log of the organization they read when they name one.
 */
@Service
class AuditReview {

    private static final int DEFAULT_LIMIT = 50;

    private final OrgAuditAccess orgAccess;
    private final AuditEventSearch search;
    private final AuditService audit;
    private final AuditChainMonitor monitor;

    AuditReview(OrgAuditAccess orgAccess, AuditEventSearch search, AuditService audit, AuditChainMonitor monitor) {
        this.orgAccess = orgAccess;
        this.search = search;
        this.audit = audit;
        this.monitor = monitor;
    }

    Page<AuditEventView> orgPage(Caller caller, UUID orgId, AuditFilter filter, String cursor, String limit) {
        orgAccess.requireAuditRead(caller, orgId);
        return page(filter.forOrg(orgId), cursor, limit);
    }

    /** Writes the organization's matching events as CSV; {@code out} is opened only once the caller may read them. */
    void orgExport(Caller caller, UUID orgId, AuditFilter filter, Supplier<CsvWriter> out) {
        orgAccess.requireAuditRead(caller, orgId);
        export(filter.forOrg(orgId), out);
    }

    Page<AuditEventView> adminPage(Caller.User admin, AuditFilter filter, String cursor, String limit) {
        AuditCursor after = cursor(cursor, filter);
        int size = limit(limit);
        recordAdminRead(admin, filter, "json");
        return search.page(filter, after, size);
    }

    void adminExport(Caller.User admin, AuditFilter filter, Supplier<CsvWriter> out) {
        recordAdminRead(admin, filter, "csv");
        export(filter, out);
    }

    ChainVerification verify(Caller.User admin) {
        ChainVerification verification = monitor.verifyAndReport();
        AuditEvent.Builder event = verification.intact() ? AuditEvent.success("audit.chain_verified")
                : AuditEvent.failure("audit.chain_verified");
        audit.record(event.by(admin).target("audit_chain", null)
                .detail("rows_checked", verification.rowsChecked())
                .detail("anchor_seq", verification.anchorSeq())
                .detail("first_broken_seq", verification.firstBrokenSeq())
                .build());
        return verification;
    }

    private Page<AuditEventView> page(AuditFilter filter, String cursor, String limit) {
        return search.page(filter, cursor(cursor, filter), limit(limit));
    }

    private void export(AuditFilter filter, Supplier<CsvWriter> out) {
        CsvWriter csv = out.get();
        csv.row(AuditCsv.COLUMNS);
        search.each(filter, event -> csv.row(AuditCsv.record(event)));
    }

    /**
     * Recorded before the read, in a transaction of its own: the record stays even if the
     * export breaks off half-way.
     */
    private void recordAdminRead(Caller.User admin, AuditFilter filter, String format) {
        AuditEvent.Builder event = AuditEvent.success("admin.audit_events_read").by(admin).org(filter.orgId())
                .target("audit_events", filter.orgId()).detail("format", format);
        filter.describe().forEach(event::detail);
        audit.recordIndependently(event.build());
    }

    private static AuditCursor cursor(String cursor, AuditFilter filter) {
        return cursor == null || cursor.isBlank() ? null : AuditCursor.decode(cursor.trim(), filter.ascending());
    }

    private static int limit(String limit) {
        return Page.limit(limit, DEFAULT_LIMIT);
    }
}
