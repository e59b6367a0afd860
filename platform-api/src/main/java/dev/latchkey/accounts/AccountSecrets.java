package dev.latchkey.accounts;

import java.util.UUID;

/**
 * Secrets of an account that must be read back (the TOTP shared secret), sealed before they are
 * stored: authenticated encryption under a platform data key that the key-encryption key wraps,
 * bound to the user and the purpose. Implemented by {@code crypto}, which holds the key-encryption
 * key (and depends on this capability, so the interface lives here).
 */
public interface AccountSecrets {

    byte[] seal(UUID userId, String purpose, byte[] plaintext);

    /** @throws IllegalStateException when the ciphertext is not this user's for this purpose */
    byte[] open(UUID userId, String purpose, byte[] sealed);
}
