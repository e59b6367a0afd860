package dev.latchkey.credentials;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import dev.latchkey.kernel.LatchkeyException;

/**
 * Which credential a broker request asks for, in {@code X-Credential-Id} or the body's
 * {@code credential} (the same values in both): nothing (the organization's default for the
 * provider, else the platform's managed credential where the organization has managed access),
 * a stored credential's id, or {@code managed}: the platform's credential, explicitly.
 */
public sealed interface CredentialChoice {

    /** The value that asks for the platform's managed credential. */
    String MANAGED = "managed";

    /** The organization's default, else (with managed access) the platform's. */
    record Default() implements CredentialChoice {
    }

    /** One of the organization's own stored credentials. */
    record Stored(UUID id) implements CredentialChoice {
    }

    /** The platform's managed credential for the provider. */
    record Managed() implements CredentialChoice {
    }

    static CredentialChoice byDefault() {
        return new Default();
    }

    /**
     * The choice of a header and a body field, either of which may be absent (null); when both
     * are given they must agree.
     *
     * @throws LatchkeyException 400 naming the field that is neither a UUID nor {@code managed}, or
     *         {@code credential} when the two disagree
     */
    static CredentialChoice of(String header, String headerName, String body, String bodyName) {
        CredentialChoice fromHeader = parse(header, headerName);
        CredentialChoice fromBody = parse(body, bodyName);
        if (fromHeader instanceof Default) {
            return fromBody;
        }
        if (!(fromBody instanceof Default) && !fromBody.equals(fromHeader)) {
            throw LatchkeyException.invalidField(bodyName, "names another credential than " + headerName);
        }
        return fromHeader;
    }

    /** One value: null for the default, a credential id, or {@code managed}; 400 naming {@code field} otherwise. */
    static CredentialChoice parse(String value, String field) {
        if (value == null) {
            return new Default();
        }
        String trimmed = value.trim();
        if (trimmed.toLowerCase(Locale.ROOT).equals(MANAGED)) {
            return new Managed();
        }
        try {
            return new Stored(UUID.fromString(trimmed));
        } catch (IllegalArgumentException e) {
            throw LatchkeyException.invalidField(field, "must be a credential id (a UUID) or \"managed\"");
        }
    }

    /** The id of a named stored credential, if this names one. */
    default Optional<UUID> storedId() {
        return this instanceof Stored stored ? Optional.of(stored.id()) : Optional.empty();
    }
}
