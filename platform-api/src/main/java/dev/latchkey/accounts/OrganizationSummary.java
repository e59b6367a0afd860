package dev.latchkey.accounts;

import java.time.Instant;
import java.util.UUID;

/** An organization as platform admins list it: its state and its member count. */
public record OrganizationSummary(UUID id, String name, String slug, String plan, String status, Instant createdAt,
        Instant suspendedAt, String suspensionReason, long memberCount) {
}
