package dev.latchkey.accounts;

import java.time.Instant;
import java.util.UUID;

/**
 * A new invitation: the only response that ever carries its {@code token} and the link made of
 * it ({@code invitation_url}), for the inviter to hand over. Whoever presents the token joins.
 */
public record CreatedInvitation(UUID invitationId, String email, String role, String status, Instant invitedAt,
        Instant expiresAt, String token, String invitationUrl) {

    @Override
    public String toString() {
        return "CreatedInvitation[invitationId=" + invitationId + ", role=" + role + ", expiresAt=" + expiresAt
                + ", token=***, invitationUrl=***]";
    }
}
