package dev.latchkey.credentials;

/**
 * A provider secret in memory: printed, logged or serialized it shows {@code ***}; only
 * {@link #reveal()} gives the value, at the moment it goes on the wire.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "***";
    }
}
