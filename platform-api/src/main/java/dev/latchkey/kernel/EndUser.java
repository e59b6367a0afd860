package dev.latchkey.kernel;

/**
 * {@code end_user}: the app's own opaque id of its user, recorded with usage and calls. The one
 * rule for it, wherever it arrives: absent, or 1 to {@value #MAX_LENGTH} printable characters.
 */
public final class EndUser {

    public static final int MAX_LENGTH = 128;

    private EndUser() {
    }

    /** Nothing for {@code null}; a 400 naming {@code end_user} for anything else outside the rule. */
    public static void check(String endUser) {
        if (endUser != null && (endUser.isBlank() || endUser.length() > MAX_LENGTH
                || endUser.chars().anyMatch(Character::isISOControl))) {
            throw LatchkeyException.invalidField("end_user", "must be 1 to " + MAX_LENGTH + " printable characters");
        }
    }
}
