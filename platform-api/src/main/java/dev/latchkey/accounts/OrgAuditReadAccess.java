package dev.latchkey.accounts;

import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.latchkey.audit.OrgAuditAccess;
import dev.latchkey.kernel.Caller;

/** Who may review an organization's audit log: owners, admins and admin-scoped keys ({@link Permission#AUDIT_READ}). */
@Component
class OrgAuditReadAccess implements OrgAuditAccess {

    private final OrgAccess orgAccess;

    OrgAuditReadAccess(OrgAccess orgAccess) {
        this.orgAccess = orgAccess;
    }

    @Override
    public void requireAuditRead(Caller caller, UUID orgId) {
        orgAccess.require(caller, orgId, Permission.AUDIT_READ);
    }
}
