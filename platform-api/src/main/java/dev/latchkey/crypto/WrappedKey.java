package dev.latchkey.crypto;

/** A data key encrypted by a key-encryption key: which backend, which key version, the ciphertext. */
record WrappedKey(String backend, String version, String ciphertext) {
}
