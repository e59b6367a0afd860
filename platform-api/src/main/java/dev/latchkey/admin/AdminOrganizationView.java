package dev.latchkey.admin;

import java.time.Instant;
import java.util.UUID;

import dev.latchkey.accounts.OrganizationSummary;
import dev.latchkey.ledger.OrganizationUsage;

/**
 * One organization in platform admins' list: its state, how many members and unrevoked API
 * keys it has, and its billed usage this period.
 */
record AdminOrganizationView(UUID id, String name, String slug, String plan, String status, Instant createdAt,
        Instant suspendedAt, String suspensionReason, long memberCount, long apiKeyCount,
        OrganizationUsage usage) {

    static AdminOrganizationView of(OrganizationSummary summary, long apiKeyCount, OrganizationUsage usage) {
        return new AdminOrganizationView(summary.id(), summary.name(), summary.slug(), summary.plan(),
                summary.status(), summary.createdAt(), summary.suspendedAt(), summary.suspensionReason(),
                summary.memberCount(), apiKeyCount, usage);
    }
}
