package dev.latchkey.accounts;

import java.util.UUID;

/** Published when an organization is deleted, for capabilities that hold its state in memory. */
public record OrganizationDeleted(UUID orgId) {
}
