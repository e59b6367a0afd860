package dev.latchkey.web;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.BadInputs;
import dev.latchkey.support.BadInputs.Input;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.Reliability;
import dev.latchkey.support.Routes;
import dev.latchkey.support.Routes.Kind;
import dev.latchkey.support.Routes.Route;
import tools.jackson.databind.JsonNode;

/**
 * Property: whatever body arrives at any JSON endpoint of the application (read from its own route
 * list), at the SDP endpoint or at the OpenAI-compatible path, the answer is a 2xx or a well-formed
 * 4xx problem (OpenAI's error shape on its path) within seconds: never a 500, never a hang, never a
 * stack trace. The bodies are generated from a seed ({@link BadInputs}), which a failure names so it
 * can be replayed with {@code -Dlatchkey.bad-input.seed=}; {@code -Dlatchkey.bad-input.tries=} sets
 * how many generated bodies each endpoint gets beside the fixed ones (default 12, to keep CI fast).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputPropertiesIT extends IntegrationTest {

    private static final long SEED = BadInputs.seed();
    private static final int TRIES = Integer.getInteger("latchkey.bad-input.tries", 12);
    /** Far below the client's own 30 s timeout: an answer that takes longer is a hang. */
    private static final long SLOWEST_ANSWER_MILLIS = 5_000;
    private static final String OFFER = "v=0\r\no=- 46117314 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendrecv\r\n";

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    private List<Route> routes;
    private JsonNode openApi;
    private SignedUp owner;
    private String brokerKey;

    @BeforeAll
    void readTheRoutes() {
        routes = Routes.of(mappings);
        openApi = client().get("/v3/api-docs").json();
        owner = signUp();
        brokerKey = createApiKey(owner, "tokens:mint", "rooms:write", "sessions:mint", "usage:read");
    }

    @TestFactory
    Stream<DynamicTest> everyJsonEndpointAnswersAnyBodyWithA2xxOrA4xxProblem() {
        BadInputs generator = new BadInputs(SEED);
        return routes.stream()
                .filter(route -> route.takesJson() && route.kind() != Kind.TEST_SUPPORT)
                .map(route -> {
                    List<Input> inputs = new ArrayList<>(BadInputs.always());
                    String example = Routes.exampleBody(route, openApi);
                    if (route.path().startsWith("/v1/admin/credentials") && example != null) {
                        // Platform credentials are shared by every test: a broken body that happened to be
                        // valid must not store one, so even the example names no provider.
                        example = example.replace("\"livekit\"", "\"no-such-provider\"");
                    }
                    inputs.addAll(generator.from(example, route.kind() == Kind.BROKER ? TRIES * 3 : TRIES));
                    return DynamicTest.dynamicTest(route + " (seed " + SEED + ")", () -> {
                        SignedUp tenant = route.kind() == Kind.PUBLIC || route.kind() == Kind.BROKER ? owner : signUp();
                        ApiClient caller = callerFor(route, tenant);
                        String path = route.resolve(Map.of("orgId", tenant.orgId().toString(), "provider", "livekit",
                                "userId", tenant.userId().toString()));
                        List<String> wrong = new ArrayList<>();
                        for (Input input : inputs) {
                            String problem = answerProblem(route.path().startsWith("/openai/"), input,
                                    () -> caller.sendBytes(route.method(), path, input.body(), input.contentType()));
                            if (problem != null) {
                                wrong.add(problem);
                            }
                        }
                        assertThat(wrong).as("%s with seed %d", route, SEED).isEmpty();
                    });
                });
    }

    @Test
    void givenAnySdpBody_whenOfferedToTheCallsEndpoint_thenA2xxOrA4xxProblem() {
        java.util.Random random = new java.util.Random(SEED);
        ApiClient app = client().bearer(brokerKey);
        List<Input> inputs = new ArrayList<>(List.of(
                new Input("empty", new byte[0], "application/sdp"),
                new Input("an offer", OFFER.getBytes(StandardCharsets.UTF_8), "application/sdp"),
                new Input("an offer as JSON", OFFER.getBytes(StandardCharsets.UTF_8), "application/json"),
                new Input("an offer without content type", OFFER.getBytes(StandardCharsets.UTF_8), null),
                new Input("NUL bytes", (OFFER + "a=x:\u0000\u0000\r\n").getBytes(StandardCharsets.UTF_8), "application/sdp"),
                new Input("over the size limit", (OFFER + "a=x:" + "y".repeat(70_000) + "\r\n")
                        .getBytes(StandardCharsets.UTF_8), "application/sdp"),
                new Input("invalid UTF-8", new byte[] {'v', '=', '0', '\r', '\n', (byte) 0xC3, (byte) 0x28, (byte) 0xFF},
                        "application/sdp"),
                new Input("charset", OFFER.getBytes(StandardCharsets.UTF_8), "application/sdp; charset=klingon")));
        for (int i = 0; i < TRIES * 3; i++) {
            String[] lines = OFFER.split("\r\n");
            StringBuilder mangled = new StringBuilder();
            for (String line : lines) {
                int what = random.nextInt(6);
                mangled.append(what == 0 ? "" : what == 1 ? line.substring(0, random.nextInt(line.length() + 1))
                        : what == 2 ? line + "x".repeat(random.nextInt(2_000)) : line).append(random.nextBoolean()
                        ? "\r\n" : "\n");
            }
            inputs.add(new Input("mangled offer", mangled.toString().getBytes(StandardCharsets.UTF_8), "application/sdp"));
            byte[] bytes = new byte[1 + random.nextInt(500)];
            random.nextBytes(bytes);
            inputs.add(new Input("random bytes", bytes, "application/sdp"));
        }
        List<String> wrong = new ArrayList<>();
        for (Input input : inputs) {
            String problem = answerProblem(false, input,
                    () -> app.sendBytes("POST", "/v1/realtime/calls", input.body(), input.contentType()));
            if (problem != null) {
                wrong.add(problem);
            }
        }
        assertThat(wrong).as("seed %d", SEED).isEmpty();
    }

    @Test
    void givenANullBody_whenPostedToTheOpenAiCompatiblePath_thenA400AboutTheBodyBeforeAnyCredentialIsLookedUp() {
        // The organization has no OpenAI credential: a body that got that far would be a 409.
        ApiClient.Response response = client().bearer(brokerKey).send("POST", "/openai/v1/realtime/client_secrets",
                "null", "application/json");

        assertThat(response.status()).as("%s", response).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/json");
        JsonNode error = response.json().get("error");
        assertThat(error.get("code").asString()).isEqualTo("malformed-body");
        assertThat(error.get("message").asString()).containsIgnoringCase("body");
        assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
    }

    @Test
    void givenANullBody_whenPostedToTheBroker_thenA400AboutTheBody() {
        ApiClient.Response response = client().bearer(brokerKey).send("POST", "/v1/tokens", "null",
                "application/json");

        assertThatProblem(response).hasStatus(400).hasType("/problems/malformed-body");
    }

    /**
     * Headers a client controls, sent raw (java.net.http refuses some of them): odd bytes, encoded and
     * bare line breaks, huge values. Tomcat may refuse some before the application sees them, so the
     * answer need not be a problem; it must not be a 5xx and must not carry an injected header.
     */
    @Test
    void givenHeadersWithInjectionAttempts_whenSentRaw_thenNoServerErrorAndNothingInjected() throws IOException {
        List<String> headers = List.of(
                "X-Request-Id: abc%0d%0aX-Injected:%201",
                "X-Request-Id: abc\rX-Injected: 1",
                "X-Request-Id: caf\u00e9\u0085",
                "Idempotency-Key: " + "k\u00ff".repeat(300),
                "X-Credential-Id: ../../etc/passwd%00",
                "Authorization: Bearer " + "platform_".repeat(1_200),
                "Authorization: Bearer " + brokerKey + "\u0000",
                "Content-Type: application/json\u0000; charset=utf-8",
                "Origin: https://evil.example%0d%0aX-Injected:1",
                "Accept: */*, application/json;q=\u00ff",
                "X-Big: " + "x".repeat(20_000));
        List<String> wrong = new ArrayList<>();
        for (String path : List.of("/v1/tokens", "/openai/v1/realtime/client_secrets", "/v1/orgs/" + owner.orgId())) {
            for (String header : headers) {
                Reliability.inputTried();
                String answer = rawPost(path, header);
                String status = answer.isEmpty() ? "" : answer.substring(9, Math.min(12, answer.length()));
                String head = answer.contains("\r\n\r\n") ? answer.substring(0, answer.indexOf("\r\n\r\n")) : answer;
                if (status.startsWith("5") || head.toLowerCase().contains("x-injected")
                        || answer.contains("Exception") || answer.contains("\tat ")) {
                    wrong.add(path + " with " + header.substring(0, Math.min(80, header.length())) + ": "
                            + answer.substring(0, Math.min(400, answer.length())));
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    private ApiClient callerFor(Route route, SignedUp tenant) {
        return switch (route.kind()) {
            case PUBLIC -> client();
            case ADMIN -> platformAdmin();
            case BROKER -> client().bearer(brokerKey);
            default -> tenant.client();
        };
    }

    /** What is wrong with the answer to one input, or null when it is a 2xx or a well-formed 4xx. */
    private static String answerProblem(boolean openAi, Input input, java.util.function.Supplier<ApiClient.Response> call) {
        Reliability.inputTried();
        long started = System.nanoTime();
        ApiClient.Response response;
        try {
            response = call.get();
        } catch (RuntimeException e) {
            return input + ": no answer (" + e + ")";
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (millis > SLOWEST_ANSWER_MILLIS) {
            return input + ": answered after " + millis + " ms";
        }
        if (response.status() < 200 || response.status() >= 500 || (response.status() >= 300 && response.status() < 400)) {
            return input + ": " + response;
        }
        if (response.body().contains("Exception") || response.body().contains("\tat ")) {
            return input + ": internals in " + response;
        }
        if (response.status() < 400) {
            return null;
        }
        if (openAi) {
            JsonNode error = response.json().path("error");
            return error.hasNonNull("message") && error.hasNonNull("code") ? null
                    : input + ": not OpenAI's error shape: " + response;
        }
        try {
            assertThatProblem(response);
            return null;
        } catch (AssertionError notAProblem) {
            return input + ": " + notAProblem.getMessage();
        }
    }

    /** One POST over a raw socket with an extra header line, as bytes (ISO-8859-1); the whole answer, or "". */
    private String rawPost(String path, String header) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) SLOWEST_ANSWER_MILLIS);
            String request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + (header.startsWith("Authorization") ? "" : "Authorization: Bearer " + brokerKey + "\r\n")
                    + (header.startsWith("Content-Type") ? "" : "Content-Type: application/json\r\n")
                    + header + "\r\nContent-Length: 2\r\n\r\n{}";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                in.transferTo(answer);
            } catch (java.net.SocketException reset) {
                // a server may close a connection it refuses: what arrived counts
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
