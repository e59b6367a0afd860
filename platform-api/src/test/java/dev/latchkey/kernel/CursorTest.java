package dev.latchkey.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorTest {

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void givenCursorsHandedOutBeforeTheCodecWasShared_whenDecoded_thenTheyStillAnswerTheSamePosition() {
        Instant time = Instant.parse("2026-11-30T10:00:00.123456Z");
        UUID id = UUID.fromString("0b6b9f4e-6d3c-4d8e-9a57-3c1f0e2b7a10");

        assertThat(PageCursor.decode(base64(time + "|" + id))).isEqualTo(new PageCursor(time, id));
        assertThat(Cursor.seq(base64("seq|42"))).isEqualTo(42L);
    }

    @Test
    void givenAPosition_whenEncoded_thenTheWireFormatIsUnchanged() {
        Instant time = Instant.parse("2026-11-30T10:00:00Z");
        UUID id = UUID.fromString("0b6b9f4e-6d3c-4d8e-9a57-3c1f0e2b7a10");

        assertThat(new PageCursor(time, id).encode()).isEqualTo(base64(time + "|" + id));
        assertThat(Cursor.ofSeq(7)).isEqualTo(base64("seq|7"));
        assertThat(PageCursor.decode(new PageCursor(time, id).encode())).isEqualTo(new PageCursor(time, id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "%%%", "bm90IGEgY3Vyc29y", "c2VxfGFiYw"})
    void givenACursorNoListHandedOut_whenDecoded_thenItIsA400NamingCursor(String cursor) {
        assertThatThrownBy(() -> PageCursor.decode(cursor)).isInstanceOfSatisfying(LatchkeyException.class,
                e -> assertThat(e.fieldProblems()).extracting(FieldProblem::field).containsExactly("cursor"));
        assertThatThrownBy(() -> Cursor.seq(cursor)).isInstanceOfSatisfying(LatchkeyException.class,
                e -> assertThat(e.fieldProblems()).extracting(FieldProblem::field).containsExactly("cursor"));
    }
}
