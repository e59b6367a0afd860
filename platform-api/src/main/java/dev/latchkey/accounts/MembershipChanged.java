package dev.latchkey.accounts;

import java.util.UUID;

import dev.latchkey.kernel.Caller;

/**
 * A member's role changed ({@code role} is the new one) or they left or were removed
 * ({@code role} null). Published inside the transaction of the change, so that what follows
 * from it (their API keys losing what the role no longer allows) commits or rolls back with it.
 */
public record MembershipChanged(UUID orgId, UUID userId, Role previousRole, Role role, Caller changedBy) {

    public boolean removed() {
        return role == null;
    }
}
