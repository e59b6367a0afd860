package dev.latchkey.ledger;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Whose provider credential served a billable event: the organization's own stored one, the
 * platform's managed one (billed at the managed rate), or a key the caller brought with the
 * request ({@code X-Provider-Auth}).
 */
public enum CredentialSource {
    OWN, MANAGED, BYOK;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CredentialSource> parse(String value) {
        return Arrays.stream(values()).filter(source -> source.value().equals(value)).findFirst();
    }
}
