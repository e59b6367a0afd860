package dev.latchkey.web;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids of rows that are not secrets (ledger entries, audit events, calls, request ids): UUID
 * version 7, a millisecond timestamp followed by random bits, so new rows land at the end of
 * their B-tree indexes. Not for tokens or keys: the bits come from a fast, non-cryptographic
 * generator; secrets come from the one SecureRandom.
 */
public final class Ids {

    private Ids() {
    }

    public static UUID newId() {
        return v7(System.currentTimeMillis(), ThreadLocalRandom.current());
    }

    static UUID v7(long epochMillis, ThreadLocalRandom random) {
        long most = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (random.nextInt() & 0x0FFF);
        long least = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(most, least);
    }
}
