package dev.latchkey.audit;

import dev.latchkey.kernel.Cursor;
import dev.latchkey.kernel.LatchkeyException;

/**
 * An opaque position in a listing: the seq of the last event returned and the direction of the
 * walk. Pages are seq ranges, so events written while a reviewer pages never shift a page:
 * each event is returned exactly once.
 */
record AuditCursor(long afterSeq, boolean ascending) {

    private static final String VERSION = "a1";

    String encode() {
        return Cursor.encode(VERSION + ":" + (ascending ? "asc" : "desc") + ":" + afterSeq);
    }

    /** @throws LatchkeyException (400) for anything this listing did not hand out, or a cursor of the other order */
    static AuditCursor decode(String value, boolean ascending) {
        return Cursor.decode(value, text -> {
            String[] parts = text.split(":");
            if (parts.length == 3 && parts[0].equals(VERSION) && parts[1].equals(ascending ? "asc" : "desc")) {
                long seq = Long.parseLong(parts[2]);
                if (seq >= 0) {
                    return new AuditCursor(seq, ascending);
                }
            }
            return null;
        }, "is not a cursor returned by this listing in this order");
    }
}
