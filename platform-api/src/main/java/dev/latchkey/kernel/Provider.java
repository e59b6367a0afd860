package dev.latchkey.kernel;

import java.util.Arrays;
import java.util.Optional;

/** The upstream providers Latchkey brokers for, by their API names. */
public enum Provider {
    OPENAI("openai"), AZURE_OPENAI("azure-openai"), LUNA("luna"), LIVEKIT("livekit"), DAILY("daily");

    private final String id;

    Provider(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<Provider> parse(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equalsIgnoreCase(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
