package dev.latchkey.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bad request bodies, generated from a seed (so a failure is reproducible with
 * {@code -Dlatchkey.bad-input.seed=}) and from a body the endpoint would accept in shape: the
 * body broken in one way each time (a member dropped, a member of the wrong type, a number out of
 * range, a huge string, NUL bytes, duplicate keys, deep nesting, invalid UTF-8, not JSON at all,
 * the wrong content type).
 */
public final class BadInputs {

    /** One request body and the content type it is sent with (null: no Content-Type header). */
    public record Input(String kind, byte[] body, String contentType) {

        public static Input json(String kind, String body) {
            return new Input(kind, body.getBytes(StandardCharsets.UTF_8), "application/json");
        }

        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return kind + " [" + contentType + "] " + (text.length() > 160 ? text.substring(0, 160) + "..." : text);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Random random;

    public BadInputs(long seed) {
        this.random = new Random(seed);
    }

    /** The seed of this run: {@code latchkey.bad-input.seed} if set, else a new one (printed by the caller). */
    public static long seed() {
        String fixed = System.getProperty("latchkey.bad-input.seed");
        return fixed != null && !fixed.isBlank() ? Long.parseLong(fixed) : new Random().nextLong();
    }

    /** The bodies every JSON endpoint gets, whatever the seed. */
    public static List<Input> always() {
        return List.of(Input.json("null", "null"), Input.json("empty", ""), Input.json("array", "[]"),
                Input.json("string", "\"text\""), Input.json("number", "12"), Input.json("truncated", "{\"a\": "),
                Input.json("duplicate keys", "{\"name\": \"a\", \"name\": \"b\", \"role\": \"viewer\", \"role\": \"owner\"}"),
                Input.json("deep nesting", "[".repeat(5_000) + "]".repeat(5_000)),
                Input.json("deep objects", "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000)),
                Input.json("NUL bytes", "{\"name\": \"a\u0000b\", \"\u0000\": \"\u0000\"}"),
                new Input("invalid UTF-8", new byte[] {'{', '"', 'n', '"', ':', '"', (byte) 0xC3, (byte) 0x28,
                        (byte) 0xFF, (byte) 0xFE, '"', '}'}, "application/json"),
                new Input("no content type", "{}".getBytes(StandardCharsets.UTF_8), null),
                new Input("text/plain", "{}".getBytes(StandardCharsets.UTF_8), "text/plain"),
                new Input("xml", "<a/>".getBytes(StandardCharsets.UTF_8), "application/xml"),
                new Input("form", "a=1&b=2".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded"),
                new Input("bad charset", "{}".getBytes(StandardCharsets.UTF_8), "application/json; charset=klingon"),
                new Input("over the size limit", ("{\"name\": \"" + "x".repeat(70_000) + "\"}")
                        .getBytes(StandardCharsets.UTF_8), "application/json"));
    }

    /** {@code count} bodies made from {@code example} (a JSON object the endpoint accepts in shape), each broken. */
    public List<Input> from(String example, int count) {
        JsonNode valid = example == null || example.isBlank() ? NODES.objectNode() : JSON.readTree(example);
        List<Function<JsonNode, Input>> breakers = List.of(this::dropMember, this::wrongType, this::numberOutOfRange,
                this::hugeString, this::nulInValue, this::unknownMember, this::randomJson, this::randomBytes,
                this::controlCharacters);
        List<Input> inputs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inputs.add(breakers.get(random.nextInt(breakers.size())).apply(valid.deepCopy()));
        }
        return inputs;
    }

    private Input dropMember(JsonNode body) {
        String member = randomMember(body);
        if (member != null) {
            ((ObjectNode) body).remove(member);
        }
        return Input.json("without " + member, body.toString());
    }

    private Input wrongType(JsonNode body) {
        String member = randomMember(body);
        JsonNode value = randomValue(2);
        if (member == null || !(body instanceof ObjectNode object)) {
            return Input.json("wrong type", value.toString());
        }
        object.set(member, value);
        return Input.json(member + " of another type", body.toString());
    }

    private Input numberOutOfRange(JsonNode body) {
        String[] numbers = {"1e400", "-1e400", "99999999999999999999999999999", "-9223372036854775809", "-1", "0",
            "2147483648", "1.5", "-0.0", "1E-400"};
        String number = numbers[random.nextInt(numbers.length)];
        String member = randomMember(body);
        String key = member == null ? "n" : member;
        ObjectNode object = body instanceof ObjectNode o ? o : NODES.objectNode();
        object.remove(key);
        String json = object.toString();
        String withNumber = json.equals("{}") ? "{\"" + key + "\": " + number + "}"
                : "{\"" + key + "\": " + number + ", " + json.substring(1);
        return Input.json(key + " = " + number, withNumber);
    }

    private Input hugeString(JsonNode body) {
        String member = randomMember(body);
        String huge = randomString(40_000 + random.nextInt(20_000));
        if (member == null || !(body instanceof ObjectNode object)) {
            return Input.json("huge string", NODES.stringNode(huge).toString());
        }
        object.put(member, huge);
        return Input.json("huge " + member, body.toString());
    }

    private Input nulInValue(JsonNode body) {
        String member = randomMember(body);
        if (member == null || !(body instanceof ObjectNode object)) {
            return Input.json("NUL", "{\"\\u0000\": \"\\u0000\"}");
        }
        object.put(member, "a\u0000b\u0000" + randomString(5));
        return Input.json("NUL in " + member, body.toString());
    }

    private Input unknownMember(JsonNode body) {
        ObjectNode object = body instanceof ObjectNode o ? o : NODES.objectNode();
        object.set(randomString(1 + random.nextInt(12)), randomValue(2));
        return Input.json("unknown member", object.toString());
    }

    private Input controlCharacters(JsonNode body) {
        String member = randomMember(body);
        String weird = "\r\nSet-Cookie: x=1\r\n\u202e\uFEFF\uD83D\uDE00\t<script>'\";--";
        if (member == null || !(body instanceof ObjectNode object)) {
            return Input.json("control characters", NODES.stringNode(weird).toString());
        }
        object.put(member, weird);
        return Input.json("control characters in " + member, body.toString());
    }

    private Input randomJson(JsonNode body) {
        return Input.json("random JSON", randomValue(4).toString());
    }

    private Input randomBytes(JsonNode body) {
        byte[] bytes = new byte[1 + random.nextInt(300)];
        random.nextBytes(bytes);
        return new Input("random bytes", bytes, "application/json");
    }

    private String randomMember(JsonNode body) {
        if (!(body instanceof ObjectNode) || body.isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> members = body.properties().iterator();
        members.forEachRemaining(member -> names.add(member.getKey()));
        return names.get(random.nextInt(names.size()));
    }

    private JsonNode randomValue(int depth) {
        int choice = random.nextInt(depth > 0 ? 8 : 6);
        return switch (choice) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextLong());
            case 3 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(300)));
            case 4 -> NODES.stringNode(randomString(random.nextInt(40)));
            case 5 -> NODES.stringNode("");
            case 6 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomValue(depth - 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(randomString(1 + random.nextInt(8)), randomValue(depth - 1));
                }
                yield object;
            }
        };
    }

    private String randomString(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            text.append(kind < 7 ? (char) ('a' + random.nextInt(26))
                    : kind == 7 ? (char) random.nextInt(0x20) : (char) (0x80 + random.nextInt(0xD000)));
        }
        return text.toString();
    }
}
