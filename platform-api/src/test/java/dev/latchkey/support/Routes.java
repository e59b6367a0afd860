package dev.latchkey.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The application's own route list, read from its request mappings at run time, so that tests
 * that go through every route (the isolation matrix, the bad-input properties) cover an endpoint
 * the day it is added. Every route has exactly one {@link Kind}; a route no rule classifies is
 * {@link Kind#UNCLASSIFIED}, which those tests refuse.
 */
public final class Routes {

    /** Who a route is for, which decides what every identity must get from it. */
    public enum Kind {
        /** Signing up and in, the CSRF token, public catalogues: no credentials needed. */
        PUBLIC,
        /** The signed-in user's own account: a console session. */
        SELF,
        /** Anything under {@code /v1/orgs/{orgId}}: members and keys of that organization only. */
        ORG,
        /** {@code /v1/admin/**}: platform admins only. */
        ADMIN,
        /** Brokering with an API key (or a session token): tokens, rooms, realtime, the OpenAI-compatible path. */
        BROKER,
        /** Registered by the tests themselves (support/BillableTestEndpoint), not the product. */
        TEST_SUPPORT,
        UNCLASSIFIED
    }

    public record Route(String method, String path, Set<String> consumes, Kind kind) {

        /** The path with each {variable} replaced by what {@code values} gives for its name, else a random UUID. */
        public String resolve(Map<String, String> values) {
            Matcher matcher = VARIABLE.matcher(path);
            StringBuilder resolved = new StringBuilder();
            while (matcher.find()) {
                String value = values.getOrDefault(matcher.group(1), UUID.randomUUID().toString());
                matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
            }
            matcher.appendTail(resolved);
            return resolved.toString();
        }

        public boolean takesJson() {
            return consumes.contains("application/json")
                    || (consumes.isEmpty() && !method.equals("GET") && !method.equals("DELETE"));
        }

        public boolean reads() {
            return method.equals("GET");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z0-9_]+)(?::[^}]*)?}");
    private static final Set<String> PUBLIC_PATHS = Set.of("/v1/invitations/preview", "/v1/providers");
    private static final Set<String> SELF_PATHS = Set.of("/v1/orgs", "/v1/invitations/accept");

    private Routes() {
    }

    /** Every route of the API ({@code /v1/**} and {@code /openai/**}), one per method, sorted. */
    public static List<Route> of(RequestMappingHandlerMapping mapping) {
        List<Route> routes = new ArrayList<>();
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
            Set<String> consumes = new java.util.TreeSet<>();
            info.getConsumesCondition().getConsumableMediaTypes().forEach(type -> consumes.add(type.toString()));
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/v1") && !pattern.startsWith("/openai")) {
                    continue; // the console's pages, the OpenAPI document, /error: not the API
                }
                String path = pattern.replaceAll("\\{([A-Za-z0-9_]+):[^}]*}", "{$1}");
                if (methods.isEmpty()) {
                    routes.add(new Route("ANY", path, consumes, Kind.UNCLASSIFIED));
                }
                for (RequestMethod method : methods) {
                    routes.add(new Route(method.name(), path, consumes, classify(path)));
                }
            }
        }
        routes.sort(Comparator.comparing(Route::path).thenComparing(Route::method));
        return routes;
    }

    static Kind classify(String path) {
        if (path.startsWith("/v1/test-support/")) {
            return Kind.TEST_SUPPORT;
        }
        if (path.startsWith("/v1/auth/") || PUBLIC_PATHS.contains(path)) {
            return Kind.PUBLIC;
        }
        if (path.equals("/v1/me") || path.startsWith("/v1/me/") || SELF_PATHS.contains(path)) {
            return Kind.SELF;
        }
        if (path.startsWith("/v1/orgs/{orgId}")) {
            return Kind.ORG;
        }
        if (path.startsWith("/v1/admin/")) {
            return Kind.ADMIN;
        }
        if (path.equals("/v1/tokens") || path.equals("/v1/rooms") || path.startsWith("/v1/rooms/")
                || path.startsWith("/v1/realtime/") || path.startsWith("/openai/")) {
            return Kind.BROKER;
        }
        return Kind.UNCLASSIFIED;
    }

    /**
     * A small body the route's OpenAPI schema accepts in shape (its required members, with plausible
     * values), so that a refusal is about who calls, not about the body. {@code null} when the route
     * takes no JSON body.
     */
    public static String exampleBody(Route route, JsonNode openApi) {
        if (!route.takesJson()) {
            return null;
        }
        JsonNode schema = openApi.path("paths").path(route.path()).path(route.method().toLowerCase())
                .path("requestBody").path("content").path("application/json").path("schema");
        return example(schema, openApi, "", 0).toString();
    }

    private static final Map<String, Object> PLAUSIBLE = new LinkedHashMap<>();

    static {
        PLAUSIBLE.put("role", "viewer");
        PLAUSIBLE.put("scopes", List.of("usage:read"));
        PLAUSIBLE.put("provider", "livekit");
        PLAUSIBLE.put("providers", List.of());
        PLAUSIBLE.put("url", "https://hooks.example.com/latchkey");
        PLAUSIBLE.put("allowed_origins", List.of("https://matrix.example.com"));
        PLAUSIBLE.put("secret", Map.of("api_secret", "matrix-secret-0123456789abcdef"));
        PLAUSIBLE.put("config", Map.of("api_key", "APImatrix", "url", "wss://matrix.livekit.cloud"));
        PLAUSIBLE.put("grace_seconds", 0);
        PLAUSIBLE.put("reason", "isolation matrix");
        PLAUSIBLE.put("room", "matrix");
        PLAUSIBLE.put("identity", "matrix");
    }

    private static JsonNode example(JsonNode schema, JsonNode openApi, String name, int depth) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (PLAUSIBLE.containsKey(name)) {
            return tools.jackson.databind.json.JsonMapper.builder().build().valueToTree(PLAUSIBLE.get(name));
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asString().replace("#/components/schemas/", "");
            return depth > 5 ? nodes.objectNode() : example(openApi.path("components").path("schemas").path(ref),
                    openApi, name, depth + 1);
        }
        String type = schema.path("type").asString("object");
        return switch (type) {
            case "string" -> switch (schema.path("format").asString("")) {
                case "email" -> nodes.stringNode("matrix-" + UUID.randomUUID() + "@example.com");
                case "uuid" -> nodes.stringNode(UUID.randomUUID().toString());
                case "date-time" -> nodes.stringNode("2099-01-01T00:00:00Z");
                default -> nodes.stringNode(schema.has("enum") ? schema.get("enum").get(0).asString()
                        : "x".repeat(Math.max(1, schema.path("minLength").asInt(1))));
            };
            case "integer", "number" -> nodes.numberNode(schema.path("minimum").asLong(1));
            case "boolean" -> nodes.booleanNode(false);
            case "array" -> nodes.arrayNode();
            default -> {
                ObjectNode object = nodes.objectNode();
                for (JsonNode required : schema.path("required")) {
                    String member = required.asString();
                    object.set(member, example(schema.path("properties").path(member), openApi, member, depth + 1));
                }
                yield object;
            }
        };
    }
}
