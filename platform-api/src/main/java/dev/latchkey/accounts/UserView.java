package dev.latchkey.accounts;

import java.util.UUID;

public record UserView(UUID id, String email, String name, boolean platformAdmin) {

    static UserView of(User user) {
        return new UserView(user.id(), user.email(), user.name(), user.platformAdmin());
    }
}
