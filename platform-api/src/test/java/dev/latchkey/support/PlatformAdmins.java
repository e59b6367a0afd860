package dev.latchkey.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/** Platform admins for tests: a user promoted in the database, as the bootstrap would, then signed in again. */
public final class PlatformAdmins {

    private PlatformAdmins() {
    }

    /** Promotes the user and returns {@code client} signed in as them (the session holds the admin flag). */
    public static ApiClient promote(ApiClient client, UUID userId, String email, String password) {
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE users SET platform_admin = true WHERE id = ?")) {
            update.setObject(1, userId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot promote a platform admin", e);
        }
        ApiClient.Response login = client.post("/v1/auth/login", Map.of("email", email, "password", password));
        if (login.status() != 200) {
            throw new AssertionError("platform admin login failed: " + login);
        }
        return client;
    }
}
