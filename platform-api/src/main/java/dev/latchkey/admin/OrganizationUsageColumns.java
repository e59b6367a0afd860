package dev.latchkey.admin;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * The hook for usage columns in platform admins' list of organizations ({@code GET
 * /v1/admin/orgs}, each item's {@code usage}). The capability that owns usage (the ledger)
 * provides one bean of it; without one, {@code usage} is null.
 */
public interface OrganizationUsageColumns {

    /**
     * Usage figures per organization for one page of the list, as snake_case JSON members
     * (e.g. {@code {"tokens_this_month": 120, "amount_micros_this_month": 4200}}); one query for
     * the whole page, not one per organization. Organizations without usage may be left out.
     */
    Map<UUID, Map<String, Object>> usageOf(Collection<UUID> orgIds);
}
