package dev.latchkey.ledger;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.latchkey.kernel.LatchkeyException;

/** Opaque cursors of the ledger list: a position by ledger sequence number ({@link dev.latchkey.kernel.PageCursor} for time and id). */
final class Cursors {

    private Cursors() {
    }

    static String encodeSeq(long seq) {
        return encode("seq|" + seq);
    }

    static long decodeSeq(String cursor) {
        try {
            String text = decodeText(cursor);
            if (!text.startsWith("seq|")) {
                throw invalid();
            }
            return Long.parseLong(text.substring(4));
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeText(String cursor) {
        return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    }

    private static LatchkeyException invalid() {
        return LatchkeyException.invalidField("cursor", "is not a cursor returned by this list");
    }
}
