package dev.latchkey.accounts;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * A member of an organization ({@code status} {@code active}), or an open invitation
 * ({@code invited}, or {@code expired} once its token no longer works), which only members who
 * manage people see.
 */
public record MemberView(UUID userId, UUID invitationId, String email, String name, String role, String status,
        Instant joinedAt, Instant invitedAt, Instant expiresAt) {

    static MemberView of(Membership membership, User user) {
        return new MemberView(user.id(), null, user.email(), user.name(), membership.role().value(), "active",
                membership.createdAt(), null, null);
    }

    static MemberView of(Invitation invitation, Instant now) {
        String status = invitation.state(now) == Invitation.State.PENDING ? "invited"
                : invitation.state(now).name().toLowerCase(Locale.ROOT);
        return new MemberView(null, invitation.id(), invitation.email(), null, invitation.role().value(), status,
                null, invitation.createdAt(), invitation.expiresAt());
    }
}
