package dev.latchkey.accounts;

import java.time.Instant;
import java.util.UUID;

/** What an invitation offers, shown to the holder of its token before they accept it. */
public record InvitationPreview(UUID organizationId, String organizationName, String role, Instant expiresAt) {
}
