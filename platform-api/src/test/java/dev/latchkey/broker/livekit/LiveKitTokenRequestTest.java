package dev.latchkey.broker.livekit;

import static dev.latchkey.broker.spi.RequestReading.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.latchkey.broker.spi.RequestReading;
import dev.latchkey.kernel.FieldProblem;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.kernel.Provider;
import tools.jackson.databind.json.JsonMapper;

/** A LiveKit body read into its record with the application's Jackson settings, then checked. */
class LiveKitTokenRequestTest {

    private static final RequestReading REQUESTS = new RequestReading();
    private static final JsonMapper JSON = RequestReading.JSON;

    @AfterAll
    static void close() {
        REQUESTS.close();
    }

    private static LiveKitTokenRequest read(String body) {
        return REQUESTS.read(body, LiveKitTokenRequest.class, Provider.LIVEKIT);
    }

    @Test
    void givenAWellFormedRequest_whenReadAndChecked_thenItPassesWithItsGrants() {
        LiveKitTokenRequest request = read("""
                {"provider": "livekit", "room": "room-1", "identity": "ada", "name": "", "metadata": "{}",
                 "attributes": {"team": "a"}, "end_user": "u-1",
                 "grants": {"can_publish": true, "can_publish_sources": ["camera", "screen_share"]}}""");

        assertThatCode(() -> REQUESTS.check(request)).doesNotThrowAnyException();
        assertThat(request.grants().canPublish()).isTrue();
        assertThat(request.grants().canPublishSources()).containsExactly("camera", "screen_share");
        assertThat(JSON.valueToTree(request.grants()).toString())
                .isEqualTo("{\"can_publish\":true,\"can_publish_sources\":[\"camera\",\"screen_share\"]}");
    }

    @Test
    void givenSeveralBadFields_whenChecked_thenOne400NamesEachByItsJsonPath() {
        LiveKitTokenRequest request = read("""
                {"room": "no spaces", "identity": " ", "name": "a\\u0007", "metadata": "%s",
                 "attributes": {"team": "%s"}, "end_user": "", "grants": {"can_publish_sources": ["hologram"]}}"""
                .formatted("x".repeat(4097), "x".repeat(1025)));

        LatchkeyException refused = refusal(() -> REQUESTS.check(request));

        assertThat(refused.problemType()).isEqualTo(ProblemType.VALIDATION);
        assertThat(refused.fieldProblems()).extracting(FieldProblem::field).containsExactly("attributes.team",
                "end_user", "grants.can_publish_sources", "identity", "metadata", "name", "room");
        assertThat(refused.fieldProblems()).contains(
                new FieldProblem("room", "must be 1 to 128 letters, digits, '_' or '-'"),
                new FieldProblem("end_user", "must be 1 to 128 printable characters"));
    }

    @Test
    void givenNoRoomAndNoIdentity_whenChecked_thenBothAreNamedAsRequired() {
        assertThat(refusal(() -> REQUESTS.check(read("{\"provider\": \"livekit\"}"))).fieldProblems())
                .extracting(FieldProblem::field).containsExactly("identity", "room");
    }

    @Test
    void givenAnEmptyAttributeKey_whenChecked_thenTheAttributeIsNamed() {
        assertThat(refusal(() -> REQUESTS.check(read("{\"room\": \"r\", \"identity\": \"ada\", \"attributes\": {\"\": \"v\"}}")))
                .fieldProblems()).extracting(FieldProblem::field).containsExactly("attributes.");
    }

    @Test
    void givenAFieldOfAnotherProviderOrAnUnknownGrant_whenRead_thenA400NamesIt() {
        assertThat(refusal(() -> read("{\"room\": \"r\", \"identity\": \"ada\", \"session\": {}}")).fieldProblems())
                .containsExactly(new FieldProblem("session", "is not a field of a livekit token request"));
        assertThat(refusal(() -> read("{\"room\": \"r\", \"identity\": \"ada\", \"grants\": {\"fly\": true}}"))
                .fieldProblems()).extracting(FieldProblem::field).containsExactly("grants.fly");
    }

    @Test
    void givenAGrantOfTheWrongType_whenRead_thenA400NamesIt() {
        assertThat(refusal(() -> read("{\"grants\": {\"can_publish\": {\"yes\": 1}}}")).fieldProblems())
                .containsExactly(new FieldProblem("grants.can_publish", "has the wrong type or format"));
        assertThat(refusal(() -> read("{\"grants\": {\"can_publish\": \"true\"}}")).fieldProblems())
                .containsExactly(new FieldProblem("grants.can_publish", "has the wrong type or format"));
        assertThat(refusal(() -> read("{\"grants\": {\"can_subscribe\": 0}}")).fieldProblems())
                .containsExactly(new FieldProblem("grants.can_subscribe", "has the wrong type or format"));
        assertThat(refusal(() -> read("{\"grants\": [true]}")).fieldProblems())
                .extracting(FieldProblem::field).containsExactly("grants");
    }
}
