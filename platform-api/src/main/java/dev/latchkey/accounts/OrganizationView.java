package dev.latchkey.accounts;

import java.time.Instant;
import java.util.UUID;

/**
 * An organization as its members see it; {@code role} is the caller's own role in it.
 * {@code requireMfa}: its owners and admins must have two-factor authentication to act in it.
 */
public record OrganizationView(UUID id, String name, String slug, String plan, String status, String role,
        Instant createdAt, boolean requireMfa) {

    static OrganizationView of(Organization organization, Role role) {
        return new OrganizationView(organization.id(), organization.name(), organization.slug(), organization.plan(),
                organization.status(), role == null ? null : role.value(), organization.createdAt(),
                organization.requireMfa());
    }
}
