package dev.latchkey.kernel;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;

/**
 * The one codec of the lists' opaque cursors: the URL-safe base64 (without padding) of a short
 * text position. The lists say what the text is: {@link PageCursor} a time and an id,
 * {@link #ofSeq} a sequence number, the audit listing a version, a direction and a sequence
 * number. A cursor that a list did not hand out is a 400 naming {@code cursor}, never a 500.
 */
public final class Cursor {

    private static final String SEQ = "seq|";

    private Cursor() {
    }

    public static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The position in {@code cursor}, read by {@code parse}; anything {@code parse} refuses (by
     * returning null or throwing) is a 400 naming {@code cursor} with {@code detail}.
     */
    public static <T> T decode(String cursor, Function<String, T> parse, String detail) {
        T position;
        try {
            position = parse.apply(new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8));
        } catch (RuntimeException malformed) {
            position = null;
        }
        if (position == null) {
            throw LatchkeyException.invalidField("cursor", detail);
        }
        return position;
    }

    /** A position by sequence number. */
    public static String ofSeq(long seq) {
        return encode(SEQ + seq);
    }

    /** The sequence number of a cursor {@link #ofSeq} made. */
    public static long seq(String cursor) {
        return decode(cursor, text -> text.startsWith(SEQ) ? Long.valueOf(text.substring(SEQ.length())) : null,
                "is not a cursor returned by this list");
    }
}
