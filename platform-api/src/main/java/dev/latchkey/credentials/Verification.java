package dev.latchkey.credentials;

/** What the live provider said of a credential. */
public record Verification(boolean valid, String detail) {
}
