package dev.latchkey.broker.openai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.latchkey.broker.spi.RequestReading;
import dev.latchkey.kernel.FieldProblem;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Provider;

/** An OpenAI body read into its record with the application's Jackson settings, then checked. */
class OpenAiTokenRequestTest {

    private static final RequestReading REQUESTS = new RequestReading();

    @AfterAll
    static void close() {
        REQUESTS.close();
    }

    private static OpenAiTokenRequest read(String body) {
        return REQUESTS.read(body, OpenAiTokenRequest.class, Provider.OPENAI);
    }

    private static FieldProblem refusal(Runnable attempt) {
        LatchkeyException refused = RequestReading.refusal(attempt);
        assertThat(refused.fieldProblems()).hasSize(1);
        return refused.fieldProblems().get(0);
    }

    @Test
    void givenTheCommonFieldsAndASession_whenRead_thenTheRecordCarriesThem() {
        OpenAiTokenRequest request = read("""
                {"provider": "openai", "session": {"voice": "alloy"}, "ttl_seconds": 60, "end_user": "u-1",
                 "credential": "managed"}""");

        assertThat(request).isEqualTo(new OpenAiTokenRequest("openai",
                RequestReading.JSON.createObjectNode().put("voice", "alloy"), 60, "u-1", "managed"));
        REQUESTS.check(request);
    }

    @Test
    void givenANullOrAbsentSession_whenRead_thenThereIsNone() {
        assertThat(read("{\"provider\": \"openai\", \"session\": null}").session()).isNull();
        assertThat(read("{\"provider\": \"openai\"}").session()).isNull();
    }

    @Test
    void givenAnotherProvidersFieldOrNobodysField_whenRead_thenA400NamesItForThisProvider() {
        assertThat(refusal(() -> read("{\"provider\": \"openai\", \"room\": \"lobby\"}")))
                .isEqualTo(new FieldProblem("room", "is not a field of a openai token request"));
        assertThat(refusal(() -> read("{\"provider\": \"openai\", \"colour\": \"blue\"}")))
                .isEqualTo(new FieldProblem("colour", "is not a field of a openai token request"));
    }

    @Test
    void givenValuesOfTheWrongType_whenRead_thenA400NamesTheField() {
        assertThat(refusal(() -> read("{\"session\": \"gpt\"}")))
                .isEqualTo(new FieldProblem("session", "has the wrong type or format"));
        assertThat(refusal(() -> read("{\"ttl_seconds\": \"long\"}")).field()).isEqualTo("ttl_seconds");
    }

    @Test
    void givenAnEndUserOverTheOneLimit_whenChecked_thenA400NamesIt() {
        assertThat(refusal(() -> REQUESTS.check(read("{\"end_user\": \"%s\"}".formatted("x".repeat(129))))))
                .isEqualTo(new FieldProblem("end_user", "must be 1 to 128 printable characters"));
    }
}
