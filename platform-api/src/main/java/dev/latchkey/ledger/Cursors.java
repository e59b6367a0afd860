package dev.latchkey.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import dev.latchkey.web.LatchkeyException;

/** Opaque list cursors: a position by time and id, or by ledger sequence number. */
final class Cursors {

    record Position(Instant time, UUID id) {
    }

    private Cursors() {
    }

    static String encode(Instant time, UUID id) {
        return encode(time + "|" + id);
    }

    static Position decode(String cursor) {
        try {
            String[] parts = decodeText(cursor).split("\\|");
            return new Position(Instant.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw invalid();
        }
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
