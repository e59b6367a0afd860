package dev.latchkey.kernel;

import java.time.Instant;
import java.util.UUID;

/**
 * An opaque position in a list ordered by time and id: the {@code next_cursor} of a {@link Page}.
 * A cursor that this did not make is a 400 naming {@code cursor}.
 */
public record PageCursor(Instant time, UUID id) {

    public String encode() {
        return Cursor.encode(time + "|" + id);
    }

    public static PageCursor decode(String value) {
        return Cursor.decode(value, text -> {
            String[] parts = text.split("\\|");
            return new PageCursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
        }, "is not a cursor returned by this list");
    }
}
