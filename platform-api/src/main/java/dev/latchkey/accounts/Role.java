package dev.latchkey.accounts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A member's role in an organization. */
public enum Role {
    OWNER, ADMIN, DEVELOPER, BILLING, VIEWER;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String value) {
        return Arrays.stream(values()).filter(role -> role.value().equals(value)).findFirst();
    }
}
