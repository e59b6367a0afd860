package dev.latchkey.crypto;

/**
 * A key-encryption key that never leaves its backend (Vault Transit) or this process (the
 * local keyring): it wraps and unwraps the organizations' data keys and nothing else.
 */
interface KeyEncryption {

    String backend();

    /** The version new wraps use. */
    String currentVersion();

    WrappedKey wrap(byte[] dataKey);

    byte[] unwrap(WrappedKey wrapped);

    /** Re-encrypts under the current version without exposing the data key where avoidable. */
    WrappedKey rewrap(WrappedKey wrapped);

    /** Makes a new key version the current one; older versions keep decrypting. */
    void rotate();

    /**
     * An HMAC-SHA-256 tag of {@code message} under a key that stays in the backend (Vault Transit's
     * HMAC) or is derived from the current master key: evidence that only a holder of the key,
     * never of the database alone, can produce. The tag names the key version that made it.
     */
    String tag(byte[] message);

    /** Whether {@code tag} was made by {@link #tag} of this message, under any version still held. */
    boolean verifyTag(byte[] message, String tag);
}
