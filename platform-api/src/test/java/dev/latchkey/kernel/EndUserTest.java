package dev.latchkey.kernel;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndUserTest {

    @ParameterizedTest
    @ValueSource(strings = {"u", "user-42", "ünïcode ok"})
    void givenAnEndUserOfPrintableCharacters_whenChecked_thenItPasses(String endUser) {
        assertThatCode(() -> EndUser.check(endUser)).doesNotThrowAnyException();
        assertThatCode(() -> EndUser.check("x".repeat(EndUser.MAX_LENGTH))).doesNotThrowAnyException();
        assertThatCode(() -> EndUser.check(null)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "tab\there", "line\nbreak"})
    void givenABlankOrControlCharacterEndUser_whenChecked_thenA400NamingEndUser(String endUser) {
        assertThatThrownBy(() -> EndUser.check(endUser)).isInstanceOf(LatchkeyException.class)
                .hasMessageStartingWith("end_user:");
    }

    @ParameterizedTest
    @ValueSource(ints = {EndUser.MAX_LENGTH + 1, 256, 257})
    void givenAnEndUserLongerThanTheOneLimit_whenChecked_thenA400NamingEndUser(int length) {
        assertThatThrownBy(() -> EndUser.check("x".repeat(length))).isInstanceOf(LatchkeyException.class)
                .hasMessageStartingWith("end_user:");
    }
}
