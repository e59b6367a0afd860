package dev.latchkey.accounts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.latchkey.kernel.Scope;

/** A member's role in an organization. */
public enum Role {
    OWNER, ADMIN, DEVELOPER, BILLING, VIEWER;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The API key scopes a member with this role may grant, and so what any key they created may
     * hold: a key never holds more than its creator may do.
     */
    public Set<Scope> keyScopes() {
        return Permission.scopesHeldBy(this);
    }

    public static Optional<Role> parse(String value) {
        return Arrays.stream(values()).filter(role -> role.value().equals(value)).findFirst();
    }
}
