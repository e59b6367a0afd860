package dev.latchkey.accounts;

import java.util.List;

/**
 * The signed-in user and the organizations they belong to: the body of login and /v1/me.
 * {@code emailVerificationRequired}: this platform requires a verified email before credentials,
 * API keys or invitations.
 */
public record SessionView(UserView user, List<OrganizationView> organizations, boolean emailVerificationRequired) {
}
