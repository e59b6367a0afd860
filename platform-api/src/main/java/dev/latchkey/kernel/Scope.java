package dev.latchkey.kernel;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A scope a platform API key may carry. The only place a scope's name is written: everything
 * else names the constant, and {@link Caller#require} is the only check of a key's scopes.
 * {@link #ADMIN} holds every other scope.
 */
public enum Scope {
    TOKENS_MINT("tokens:mint"),
    SESSIONS_MINT("sessions:mint"),
    ROOMS_WRITE("rooms:write"),
    USAGE_READ("usage:read"),
    ADMIN("admin");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    /** The name a key's {@code scopes} carry on the wire and in the database. */
    public String value() {
        return value;
    }

    public static Optional<Scope> parse(String value) {
        return Arrays.stream(values()).filter(scope -> scope.value.equals(value)).findFirst();
    }

    /** The known ones of {@code values}; a scope this version no longer knows grants nothing. */
    public static Set<Scope> parseAll(Collection<String> values) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        values.forEach(value -> parse(value).ifPresent(scopes::add));
        return scopes;
    }

    /** The names, sorted: for messages, audit details and the database. */
    public static List<String> names(Collection<Scope> scopes) {
        return scopes.stream().map(Scope::value).sorted().toList();
    }

    public static Set<String> valueSet(Collection<Scope> scopes) {
        return scopes.stream().map(Scope::value).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public String toString() {
        return value;
    }
}
