package dev.latchkey.crypto;

/**
 * A ciphertext that does not decrypt: wrong key, wrong organization or record (the associated
 * data), tampered bytes, or a destroyed data key. Says nothing about the plaintext.
 */
public class DecryptionFailedException extends RuntimeException {

    public DecryptionFailedException() {
        super("The ciphertext cannot be decrypted with this organization's data key and context", null, false, false);
    }
}
