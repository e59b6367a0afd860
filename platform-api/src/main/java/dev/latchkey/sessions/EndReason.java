package dev.latchkey.sessions;

import java.util.Locale;

/** Why a call in the registry ended, as stored in {@code realtime_calls.end_reason}. */
enum EndReason {
    /** Latchkey hung up when the policy's {@code max_session_seconds} was reached. */
    MAX_SESSION_SECONDS,
    /** The app hung up through {@code POST /v1/realtime/calls/{id}/hangup}. */
    HANGUP,
    /** At Latchkey's hang-up, the provider no longer knew the call: it had ended already. */
    ALREADY_ENDED,
    /** The cap was reached but the provider could not be told, after every retry. */
    HANGUP_FAILED;

    String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
