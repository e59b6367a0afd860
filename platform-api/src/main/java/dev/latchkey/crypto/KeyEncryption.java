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
}
