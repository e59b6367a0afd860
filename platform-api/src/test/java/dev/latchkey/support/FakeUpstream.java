package dev.latchkey.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Local stand-ins for the providers, on 127.0.0.1, following their documented wire contracts
 * (../shared/PROVIDERS.md): each route checks the authentication header and the body shape the
 * provider requires and answers as the provider does. Every request is recorded so tests can
 * assert what Latchkey sent. {@link #next} makes the next call of a route fail, stall or answer
 * garbage instead.
 */
public final class FakeUpstream {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static volatile FakeUpstream instance;

    private final HttpServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Stub>> stubs = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> dailyRooms = new ConcurrentHashMap<>();
    /** Ephemeral keys this fake minted, by provider: the calls endpoints accept only these. */
    private final Set<String> ephemeralKeys = ConcurrentHashMap.newKeySet();
    /** Calls in progress, by provider call id: a hang-up ends one, and a second hang-up finds nothing. */
    private final Set<String> liveCalls = ConcurrentHashMap.newKeySet();

    /** A request as the provider received it, and when; header names are lower case. */
    public record Recorded(String method, String path, String query, Map<String, String> headers, String body,
            Instant receivedAt) {
        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** The parts of a multipart/form-data body by name: each part's content type and content. */
        public Map<String, Part> parts() {
            return multipart(header("Content-Type"), body);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** One part of a multipart/form-data body. */
    public record Part(String contentType, String content) {
    }

    /** A canned answer for one call: status, body, content type and a delay before answering. */
    public record Stub(int status, String body, String contentType, Duration delay) {
        public static Stub status(int status, String body) {
            return new Stub(status, body, "application/json", Duration.ZERO);
        }

        public static Stub delay(Duration delay) {
            return new Stub(200, "{}", "application/json", delay);
        }
    }

    private FakeUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeUpstream get() {
        if (instance == null) {
            synchronized (FakeUpstream.class) {
                if (instance == null) {
                    try {
                        instance = new FakeUpstream();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return instance;
    }

    /** The base URL Latchkey's operator override points the provider at. */
    public String baseUrl(String provider) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + provider;
    }

    public void next(String method, String path, Stub stub) {
        stubs.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>()).add(stub);
    }

    public List<Recorded> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    public int count(String method, String path) {
        return requests(method, path).size();
    }

    public Recorded last(String method, String path) {
        List<Recorded> matching = requests(method, path);
        if (matching.isEmpty()) {
            throw new AssertionError("the fake upstream received no " + method + " " + path);
        }
        return matching.get(matching.size() - 1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new java.util.HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        requests.add(new Recorded(method, path, exchange.getRequestURI().getQuery(), Map.copyOf(headers), body,
                Instant.now()));
        Deque<Stub> queue = stubs.get(method + " " + path);
        Stub stub = queue == null ? null : queue.poll();
        try {
            if (stub != null && !stub.delay().isZero()) {
                Thread.sleep(stub.delay().toMillis()); // the fake provider being slow, not the test waiting
            }
            if (stub != null && stub.delay().isZero()) {
                answer(exchange, stub.status(), stub.contentType(), stub.body());
                return;
            }
            Answer answer = contract(method, path, headers, body);
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            answer(exchange, answer.status(), answer.contentType(), answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // Latchkey gave up waiting (a timeout test): nothing left to answer.
        } finally {
            exchange.close();
        }
    }

    private record Answer(int status, String body, String contentType, Map<String, String> headers) {
        Answer(int status, String body) {
            this(status, body, "application/json", Map.of());
        }
    }

    /** Whether the provider still runs this call (it was started and not hung up). */
    public boolean isLive(String providerCallId) {
        return liveCalls.contains(providerCallId);
    }

    /** The providers' documented behaviour for the routes Latchkey uses. */
    private Answer contract(String method, String path, Map<String, String> headers, String body) {
        String route = method + " " + path;
        if (path.startsWith("/daily/rooms")) {
            return dailyRooms(method, path, bearer(headers.get("authorization")), body);
        }
        if (method.equals("POST") && path.matches("/openai/v1/realtime/calls/[^/]+/hangup")) {
            return hangUp(mainKey(bearer(headers.get("authorization"))), path);
        }
        if (method.equals("POST") && path.matches("/azure-openai/openai/v1/realtime/calls/[^/]+/hangup")) {
            return hangUp(headers.get("api-key"), path);
        }
        return switch (route) {
            case "POST /openai/v1/realtime/client_secrets" ->
                    openAiClientSecret(bearer(headers.get("authorization")), body, "ek_");
            case "POST /azure-openai/openai/v1/realtime/client_secrets" ->
                    openAiClientSecret(headers.get("api-key"), body, "ek_");
            case "GET /openai/v1/models" -> models(bearer(headers.get("authorization")));
            case "GET /azure-openai/openai/v1/models" -> models(headers.get("api-key"));
            case "POST /luna/v1/realtime/client_secrets" -> luna(headers.get("x-luna-key"), body);
            case "POST /openai/v1/realtime/calls" -> openAiCall(headers, body, "/v1/realtime/calls/");
            case "POST /azure-openai/openai/v1/realtime/calls" -> azureCall(headers, body);
            case "POST /luna/v1/realtime/calls" -> lunaCall(headers, body);
            case "POST /daily/meeting-tokens" -> dailyMeetingToken(bearer(headers.get("authorization")), body);
            case "POST /livekit/twirp/livekit.RoomService/ListRooms" ->
                    bearer(headers.get("authorization")) == null ? new Answer(401, "{\"code\":\"unauthenticated\"}")
                            : new Answer(200, "{\"rooms\":[]}");
            default -> new Answer(404, "{\"error\":{\"message\":\"no route " + route + "\",\"type\":\"invalid_request_error\"}}");
        };
    }

    private Answer openAiClientSecret(String key, String body, String prefix) {
        if (key == null || key.isBlank() || key.contains("invalid")) {
            return openAiError(401, "invalid_api_key", "invalid_request_error");
        }
        ObjectNode request = (ObjectNode) JSON.readTree(body.isEmpty() ? "{}" : body);
        long seconds = 600;
        JsonNode expiresAfter = request.get("expires_after");
        if (expiresAfter != null) {
            if (!"created_at".equals(expiresAfter.path("anchor").asString(""))) {
                return openAiError(400, "invalid_value", "invalid_request_error");
            }
            seconds = expiresAfter.path("seconds").asLong(600);
            if (seconds < 10 || seconds > 7200) {
                return openAiError(400, "invalid_value", "invalid_request_error");
            }
        }
        JsonNode session = request.get("session");
        if (session != null && (!session.isObject() || !session.has("type"))) {
            return openAiError(400, "missing_required_parameter", "invalid_request_error");
        }
        if (session != null && (session.has("voice") || session.has("turn_detection"))) {
            return openAiError(400, "unknown_parameter", "invalid_request_error"); // the retired beta shape
        }
        ObjectNode answer = JSON.createObjectNode();
        String value = prefix + UUID.randomUUID().toString().replace("-", "");
        ephemeralKeys.add(value);
        answer.put("value", value);
        answer.put("expires_at", Instant.now().getEpochSecond() + seconds);
        ObjectNode echoed = session == null ? JSON.createObjectNode().put("type", "realtime") : (ObjectNode) session.deepCopy();
        echoed.put("object", "realtime.session");
        answer.set("session", echoed);
        return new Answer(200, answer.toString());
    }

    private static Answer models(String key) {
        return key == null || key.contains("invalid") ? openAiError(401, "invalid_api_key", "invalid_request_error")
                : new Answer(200, "{\"object\":\"list\",\"data\":[]}");
    }

    private Answer luna(String header, String body) {
        String key = bearer(header);
        if (key == null || key.contains("invalid")) {
            return new Answer(401, "{\"detail\":\"Unauthorized\"}");
        }
        JsonNode session = JSON.readTree(body).get("session");
        if (session == null || !session.isObject()) {
            return new Answer(422, "{\"detail\":\"session is required\"}");
        }
        String value = "eph_" + UUID.randomUUID().toString().replace("-", "");
        ephemeralKeys.add(value);
        return new Answer(200, "{\"value\":\"" + value + "\",\"expires_at\":" + (Instant.now().getEpochSecond() + 300)
                + "}");
    }

    /**
     * OpenAI's calls: a raw application/sdp offer with an ephemeral key, or multipart/form-data
     * with an {@code sdp} part (application/sdp) and a {@code session} part (application/json,
     * with a type) and a standard key. 201, the SDP answer, {@code Location: <prefix><call_id>}.
     */
    private Answer openAiCall(Map<String, String> headers, String body, String locationPrefix) {
        String key = bearer(headers.get("authorization"));
        String contentType = headers.getOrDefault("content-type", "");
        String offer;
        if (contentType.startsWith("application/sdp")) {
            if (key == null || !ephemeralKeys.contains(key)) {
                return openAiError(401, "invalid_api_key", "invalid_request_error");
            }
            offer = body;
        } else if (contentType.startsWith("multipart/form-data")) {
            if (mainKey(key) == null) {
                return openAiError(401, "invalid_api_key", "invalid_request_error");
            }
            Map<String, Part> parts = multipart(contentType, body);
            Part sdp = parts.get("sdp");
            Part session = parts.get("session");
            if (sdp == null || !sdp.contentType().startsWith("application/sdp")) {
                return openAiError(400, "missing_required_parameter", "invalid_request_error");
            }
            if (session != null && (!session.contentType().startsWith("application/json")
                    || !JSON.readTree(session.content()).has("type"))) {
                return openAiError(400, "invalid_value", "invalid_request_error");
            }
            offer = sdp.content();
        } else {
            return openAiError(400, "invalid_content_type", "invalid_request_error");
        }
        return callAnswer(offer, locationPrefix);
    }

    /** Azure's calls take only an ephemeral bearer token and a raw offer. */
    private Answer azureCall(Map<String, String> headers, String body) {
        if (!headers.getOrDefault("content-type", "").startsWith("application/sdp")) {
            return openAiError(400, "invalid_content_type", "invalid_request_error");
        }
        return openAiCall(headers, body, "/openai/v1/realtime/calls/");
    }

    /** Luna's calls: {@code X-Luna-Key: Bearer eph_...} and a raw offer, or the main key and multipart. */
    private Answer lunaCall(Map<String, String> headers, String body) {
        String key = bearer(headers.get("x-luna-key"));
        String contentType = headers.getOrDefault("content-type", "");
        String offer;
        if (contentType.startsWith("application/sdp") && key != null && ephemeralKeys.contains(key)) {
            offer = body;
        } else if (contentType.startsWith("multipart/form-data") && key != null && !key.startsWith("eph_")
                && !key.contains("invalid")) {
            Part sdp = multipart(contentType, body).get("sdp");
            if (sdp == null) {
                return new Answer(422, "{\"detail\":\"sdp is required\"}");
            }
            offer = sdp.content();
        } else {
            return new Answer(401, "{\"detail\":\"Unauthorized\"}");
        }
        if (!offer.startsWith("v=0")) {
            return new Answer(422, "{\"detail\":\"not an SDP offer\"}");
        }
        return new Answer(200, answerSdp(), "application/sdp", Map.of());
    }

    private Answer callAnswer(String offer, String locationPrefix) {
        if (!offer.startsWith("v=0")) {
            return openAiError(400, "invalid_offer", "invalid_request_error");
        }
        String callId = "rtc_" + UUID.randomUUID().toString().replace("-", "");
        liveCalls.add(callId);
        return new Answer(201, answerSdp(), "application/sdp", Map.of("Location", locationPrefix + callId));
    }

    /** {@code POST .../calls/{call_id}/hangup}: 200 for a live call, 404 for one that is over or unknown. */
    private Answer hangUp(String key, String path) {
        if (key == null || key.isBlank() || key.contains("invalid")) {
            return openAiError(401, "invalid_api_key", "invalid_request_error");
        }
        String callId = path.substring(0, path.length() - "/hangup".length());
        callId = callId.substring(callId.lastIndexOf('/') + 1);
        return liveCalls.remove(callId) ? new Answer(200, "")
                : openAiError(404, "call_not_found", "invalid_request_error");
    }

    /** A standard (not ephemeral) key, or null. */
    private String mainKey(String key) {
        return key == null || key.isBlank() || key.contains("invalid") || ephemeralKeys.contains(key) ? null : key;
    }

    /** The fake provider's SDP answer. */
    public static String answerSdp() {
        return "v=0\r\no=- 4242 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendrecv\r\n"
                + "a=rtpmap:111 opus/48000/2\r\n";
    }

    static Map<String, Part> multipart(String contentType, String body) {
        Map<String, Part> parts = new java.util.LinkedHashMap<>();
        int at = contentType == null ? -1 : contentType.indexOf("boundary=");
        if (at < 0) {
            return parts;
        }
        String boundary = "--" + contentType.substring(at + "boundary=".length()).replace("\"", "").trim();
        for (String chunk : body.split(java.util.regex.Pattern.quote(boundary))) {
            if (!chunk.startsWith("\r\n")) {
                continue; // the preamble, or the closing "--"
            }
            int headersEnd = chunk.indexOf("\r\n\r\n");
            if (headersEnd < 0) {
                continue;
            }
            String partHeaders = chunk.substring(2, headersEnd);
            String content = chunk.substring(headersEnd + 4);
            content = content.endsWith("\r\n") ? content.substring(0, content.length() - 2) : content;
            java.util.regex.Matcher name = java.util.regex.Pattern.compile("name=\"([^\"]*)\"").matcher(partHeaders);
            java.util.regex.Matcher type = java.util.regex.Pattern.compile("(?i)content-type:\\s*(\\S+)")
                    .matcher(partHeaders);
            if (name.find()) {
                parts.put(name.group(1), new Part(type.find() ? type.group(1) : "text/plain", content));
            }
        }
        return parts;
    }

    private static Answer dailyMeetingToken(String key, String body) {
        if (key == null || key.contains("invalid")) {
            return dailyUnauthorized();
        }
        JsonNode properties = JSON.readTree(body).get("properties");
        if (properties == null || !properties.isObject()) {
            return new Answer(400, "{\"error\":\"invalid-request-error\",\"info\":\"properties is required\"}");
        }
        return new Answer(200, "{\"token\":\"eyJ.daily." + UUID.randomUUID() + "\"}");
    }

    /** Daily's rooms: names [A-Za-z0-9_-] up to 128, private rooms need tokens, 404 for unknown names. */
    private Answer dailyRooms(String method, String path, String key, String body) {
        if (key == null || key.contains("invalid")) {
            return dailyUnauthorized();
        }
        String name = path.length() > "/daily/rooms/".length() ? path.substring("/daily/rooms/".length()) : null;
        if (method.equals("GET") && name == null) {
            return new Answer(200, "{\"total_count\":" + dailyRooms.size() + ",\"data\":[]}");
        }
        if (method.equals("POST") && name == null) {
            ObjectNode request = (ObjectNode) JSON.readTree(body);
            String roomName = request.path("name").asString(UUID.randomUUID().toString().substring(0, 8));
            if (!roomName.matches("[A-Za-z0-9_-]{1,128}") || dailyRooms.containsKey(roomName)) {
                return new Answer(400, "{\"error\":\"invalid-request-error\",\"info\":\"bad or taken name\"}");
            }
            ObjectNode room = JSON.createObjectNode();
            room.put("id", UUID.randomUUID().toString());
            room.put("name", roomName);
            room.put("api_created", true);
            room.put("privacy", request.path("privacy").asString("public"));
            room.put("url", "https://acme.daily.co/" + roomName);
            room.put("created_at", Instant.now().toString());
            room.set("config", request.path("properties").deepCopy());
            dailyRooms.put(roomName, room);
            return new Answer(200, room.toString());
        }
        JsonNode room = name == null ? null : dailyRooms.get(name);
        if (room == null) {
            return new Answer(404, "{\"error\":\"not-found\",\"info\":\"room " + name + " not found\"}");
        }
        if (method.equals("DELETE")) {
            dailyRooms.remove(name);
            return new Answer(200, "{\"deleted\":true,\"name\":\"" + name + "\"}");
        }
        return new Answer(200, room.toString());
    }

    private static Answer dailyUnauthorized() {
        return new Answer(401, "{\"error\":\"authentication-error\",\"info\":\"bad API key\"}");
    }

    private static Answer openAiError(int status, String code, String type) {
        return new Answer(status, "{\"error\":{\"message\":\"Incorrect API key provided: sk-abc***xyz.\",\"type\":\""
                + type + "\",\"param\":null,\"code\":\"" + code + "\"}}");
    }

    private static String bearer(String header) {
        return header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
    }

    private static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    static List<String> providers() {
        return new ArrayList<>(List.of("openai", "azure-openai", "luna", "livekit", "daily"));
    }
}
