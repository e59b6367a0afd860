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

    /** A request as the provider received it; header names are lower case. */
    public record Recorded(String method, String path, String query, Map<String, String> headers, String body) {
        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
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
        requests.add(new Recorded(method, path, exchange.getRequestURI().getQuery(), Map.copyOf(headers), body));
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
            answer(exchange, answer.status(), "application/json", answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // Latchkey gave up waiting (a timeout test): nothing left to answer.
        } finally {
            exchange.close();
        }
    }

    private record Answer(int status, String body) {
    }

    /** The providers' documented behaviour for the routes Latchkey uses. */
    private Answer contract(String method, String path, Map<String, String> headers, String body) {
        String route = method + " " + path;
        if (path.startsWith("/daily/rooms")) {
            return dailyRooms(method, path, bearer(headers.get("authorization")), body);
        }
        return switch (route) {
            case "POST /openai/v1/realtime/client_secrets" ->
                    openAiClientSecret(bearer(headers.get("authorization")), body, "ek_");
            case "POST /azure-openai/openai/v1/realtime/client_secrets" ->
                    openAiClientSecret(headers.get("api-key"), body, "ek_");
            case "GET /openai/v1/models" -> models(bearer(headers.get("authorization")));
            case "GET /azure-openai/openai/v1/models" -> models(headers.get("api-key"));
            case "POST /luna/v1/realtime/client_secrets" -> luna(headers.get("x-luna-key"), body);
            case "POST /daily/meeting-tokens" -> dailyMeetingToken(bearer(headers.get("authorization")), body);
            case "POST /livekit/twirp/livekit.RoomService/ListRooms" ->
                    bearer(headers.get("authorization")) == null ? new Answer(401, "{\"code\":\"unauthenticated\"}")
                            : new Answer(200, "{\"rooms\":[]}");
            default -> new Answer(404, "{\"error\":{\"message\":\"no route " + route + "\",\"type\":\"invalid_request_error\"}}");
        };
    }

    private static Answer openAiClientSecret(String key, String body, String prefix) {
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
        answer.put("value", prefix + UUID.randomUUID().toString().replace("-", ""));
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

    private static Answer luna(String header, String body) {
        String key = bearer(header);
        if (key == null || key.contains("invalid")) {
            return new Answer(401, "{\"detail\":\"Unauthorized\"}");
        }
        JsonNode session = JSON.readTree(body).get("session");
        if (session == null || !session.isObject()) {
            return new Answer(422, "{\"detail\":\"session is required\"}");
        }
        return new Answer(200, "{\"value\":\"eph_" + UUID.randomUUID().toString().replace("-", "")
                + "\",\"expires_at\":" + (Instant.now().getEpochSecond() + 300) + "}");
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
