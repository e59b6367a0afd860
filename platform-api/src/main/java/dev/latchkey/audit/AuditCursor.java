package dev.latchkey.audit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.latchkey.kernel.LatchkeyException;

/**
 * An opaque position in a listing: the seq of the last event returned and the direction of the
 * walk. Pages are seq ranges, so events written while a reviewer pages never shift a page:
 * each event is returned exactly once.
 */
record AuditCursor(long afterSeq, boolean ascending) {

    private static final String VERSION = "a1";

    String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (VERSION + ":" + (ascending ? "asc" : "desc") + ":" + afterSeq).getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws LatchkeyException (400) for anything this listing did not hand out, or a cursor of the other order */
    static AuditCursor decode(String value, boolean ascending) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.US_ASCII).split(":");
            if (parts.length == 3 && parts[0].equals(VERSION) && parts[1].equals(ascending ? "asc" : "desc")) {
                long seq = Long.parseLong(parts[2]);
                if (seq >= 0) {
                    return new AuditCursor(seq, ascending);
                }
            }
        } catch (IllegalArgumentException malformed) {
            // reported below
        }
        throw LatchkeyException.invalidField("cursor", "is not a cursor returned by this listing in this order");
    }
}
