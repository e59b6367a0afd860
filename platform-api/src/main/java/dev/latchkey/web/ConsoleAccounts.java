package dev.latchkey.web;

import java.util.Optional;
import java.util.UUID;

import dev.latchkey.kernel.Caller;

/**
 * A console user's account as it is now, which a session must not outlive: a platform-admin
 * flag taken away in the database, or a deleted account, counts from the next request on (the
 * implementation may cache for under a second). Implemented by the accounts capability.
 */
public interface ConsoleAccounts {

    /** The signed-in user as their account is now; empty when the account no longer exists. */
    Optional<Caller.User> current(UUID userId);
}
