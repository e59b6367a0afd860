package dev.latchkey.kernel;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA-256 of a bearer secret (platform keys, session tokens) under a server-side pepper:
 * a leaked table of hashes cannot be brute-forced without the pepper, which never touches the
 * database. One hasher serves every bearer secret (the pepper is the platform keys' setting,
 * {@code latchkey.api-keys.pepper}, and the bean is made where that setting lives).
 */
public final class SecretHasher {

    private static final int MAX_POOLED = 64;

    /**
     * Initialised MACs for reuse. Not a ThreadLocal: request threads are virtual, one per request,
     * so a ThreadLocal would build a new Mac for every request.
     */
    private final ConcurrentLinkedQueue<Mac> macs = new ConcurrentLinkedQueue<>();
    private final SecretKeySpec key;

    /** @param pepper at least 32 random bytes */
    public SecretHasher(byte[] pepper) {
        if (pepper.length < 32) {
            throw new IllegalArgumentException("A pepper must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(pepper, "HmacSHA256");
    }

    public byte[] hash(String secret) {
        Mac mac = macs.poll();
        if (mac == null) {
            mac = newMac();
        }
        try {
            return mac.doFinal(secret.getBytes(StandardCharsets.US_ASCII));
        } finally {
            if (macs.size() < MAX_POOLED) {
                macs.offer(mac);
            }
        }
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** Constant-time: the time taken says nothing about how much of the hash matched. */
    public boolean matches(String key, byte[] expectedHash) {
        return MessageDigest.isEqual(hash(key), expectedHash);
    }
}
