package dev.latchkey.audit;

/**
 * The key that signs the audit chain's checkpoints and retention seals: one that is not in the
 * database, so that its logins alone cannot forge them. Implemented by the key-encryption
 * backend (crypto), which holds such keys.
 */
public interface AuditSigningKey {

    /** A tag of {@code message} that names the key version that made it. */
    String tag(String message);

    boolean verify(String message, String tag);
}
