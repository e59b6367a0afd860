package dev.latchkey.kernel;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * An opaque position in a list ordered by time and id: the {@code next_cursor} of a {@link Page}.
 * A cursor that this did not make is a 400 naming {@code cursor}.
 */
public record PageCursor(Instant time, UUID id) {

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((time + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    public static PageCursor decode(String value) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(value.trim()), StandardCharsets.UTF_8)
                    .split("\\|");
            return new PageCursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw LatchkeyException.invalidField("cursor", "is not a cursor returned by this list");
        }
    }
}
