package dev.latchkey.broker.livekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.latchkey.broker.spi.ProviderRequests;
import dev.latchkey.kernel.FieldProblem;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;

class LiveKitTokenRequestTest {

    private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();
    private final ProviderRequests requests = new ProviderRequests(VALIDATION.getValidator());

    @AfterAll
    static void close() {
        VALIDATION.close();
    }

    private static LatchkeyException refusal(Runnable check) {
        try {
            check.run();
        } catch (LatchkeyException refused) {
            return refused;
        }
        throw new AssertionError("the request was accepted");
    }

    @Test
    void givenAWellFormedRequest_whenChecked_thenItPasses() {
        assertThatCode(() -> requests.check(new LiveKitTokenRequest("room-1", "ada", "", "{}", Map.of("team", "a"))))
                .doesNotThrowAnyException();
    }

    @Test
    void givenSeveralBadFields_whenChecked_thenOne400NamesEachByItsJsonPath() {
        LatchkeyException refused = refusal(() -> requests.check(new LiveKitTokenRequest("no spaces", " ", "a\u0007",
                "x".repeat(4097), Map.of("team", "x".repeat(1025)))));

        assertThat(refused.problemType()).isEqualTo(ProblemType.VALIDATION);
        assertThat(refused.fieldProblems()).extracting(FieldProblem::field)
                .containsExactly("attributes.team", "identity", "metadata", "name", "room");
        assertThat(refused.fieldProblems()).contains(new FieldProblem("room", "must be 1 to 128 letters, digits, '_' or '-'"));
    }

    @Test
    void givenNoRoomAndNoIdentity_whenChecked_thenBothAreNamedAsRequired() {
        assertThatThrownBy(() -> requests.check(new LiveKitTokenRequest(null, null, null, null, null)))
                .isInstanceOfSatisfying(LatchkeyException.class, refused -> assertThat(refused.fieldProblems())
                        .extracting(FieldProblem::field).containsExactly("identity", "room"));
    }

    @Test
    void givenAnEmptyAttributeKey_whenChecked_thenTheAttributeIsNamed() {
        assertThat(refusal(() -> requests.check(new LiveKitTokenRequest("r", "ada", null, null, Map.of("", "v"))))
                .fieldProblems()).extracting(FieldProblem::field).containsExactly("attributes.");
    }
}
