package dev.latchkey.accounts;

import java.util.UUID;

/**
 * Published when a platform admin suspends or resumes an organization, for capabilities that
 * hold its state in memory (cached keys, live sessions).
 */
public record OrganizationStatusChanged(UUID orgId, boolean suspended) {
}
