package dev.latchkey.accounts;

import java.util.UUID;

/** A user as they see themselves: whether their email is verified and whether they have a second factor. */
public record UserView(UUID id, String email, String name, boolean platformAdmin, boolean emailVerified,
        boolean mfaEnabled) {

    static UserView of(User user) {
        return new UserView(user.id(), user.email(), user.name(), user.platformAdmin(), user.emailVerified(),
                user.mfaEnabled());
    }
}
