package dev.latchkey.crypto;

import java.nio.charset.StandardCharsets;

import org.springframework.stereotype.Service;

import dev.latchkey.audit.AuditSigningKey;

/**
 * HMAC tags under a key that is not in the database: derived from the local master key, or held
 * by Vault Transit. What the audit chain's checkpoints and retention seals are signed with, so
 * that someone holding only the database (even its owner login) cannot forge them.
 */
@Service
public class IntegrityTags implements AuditSigningKey {

    private final KeyEncryption keyEncryption;

    IntegrityTags(KeyEncryption keyEncryption) {
        this.keyEncryption = keyEncryption;
    }

    /** A tag naming the key (backend and version) that made it. */
    @Override
    public String tag(String message) {
        return keyEncryption.tag(message.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean verify(String message, String tag) {
        return tag != null && keyEncryption.verifyTag(message.getBytes(StandardCharsets.UTF_8), tag);
    }
}
