package dev.latchkey.audit;

import java.util.UUID;

import dev.latchkey.kernel.Caller;

/**
 * The tenancy check of an organization's audit log, provided by the capability that owns
 * organizations and roles (the audit log is written by everyone, so it depends on no one).
 */
public interface OrgAuditAccess {

    /**
     * @throws dev.latchkey.kernel.LatchkeyException 404 when the caller is not of the organization,
     *         403 when their role or key scopes do not allow reading its audit log
     */
    void requireAuditRead(Caller caller, UUID orgId);
}
