package dev.latchkey.accounts;

import java.time.Instant;
import java.util.UUID;

/** A member of an organization, or an invitation for an email that has no account yet. */
public record MemberView(UUID userId, UUID invitationId, String email, String name, String role, String status,
        Instant joinedAt) {

    static MemberView of(Membership membership, User user) {
        return new MemberView(user.id(), null, user.email(), user.name(), membership.role().value(), "active",
                membership.createdAt());
    }

    static MemberView of(Invitation invitation) {
        return new MemberView(null, invitation.id(), invitation.email(), null, invitation.role().value(), "invited",
                invitation.createdAt());
    }
}
