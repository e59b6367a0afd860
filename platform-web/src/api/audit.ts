import { http, orgPath, query } from './client';
import type { AuditEvent, ChainVerification, Page } from './schema';

// The audit log, an organization's and (for platform admins) every organization's, and the
// chain verification: all of the console's audit calls are here.

export interface AuditFilter {
  action?: string;
  actor?: string;
  actor_type?: string;
  outcome?: string;
  target_type?: string;
  target_id?: string;
  from?: string;
  to?: string;
  org_id?: string;
}

const eventsPath = (orgId: string | null) => (orgId ? `${orgPath(orgId)}/audit-events` : '/v1/admin/audit-events');

export const audit = {
  /** `orgId` null: every organization's events (platform admins). */
  events: (orgId: string | null, filter: AuditFilter, cursor: string | null) =>
    http.get<Page<AuditEvent>>(`${eventsPath(orgId)}${query({ ...filter, cursor })}`),
  csv: (orgId: string | null, filter: AuditFilter) => http.getBlob(`${eventsPath(orgId)}${query({ ...filter })}`, 'text/csv'),
  verifyChain: () => http.post<ChainVerification>('/v1/admin/audit-events/verify'),
};
