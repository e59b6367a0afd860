package dev.latchkey.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.latchkey.kernel.LatchkeyException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merges what a client asks for into what its organization's policy allows. The client cannot
 * widen the policy: a pinned field may only be repeated with its pinned value, and any other
 * field must be among the allowed overrides; either refusal is a 400 naming the field.
 */
final class PolicyMerge {

    private PolicyMerge() {
    }

    /**
     * @param fieldPrefix how the client's object is named in the request ({@code "session"},
     *                    {@code "grants"}), for the field named in a refusal
     */
    static ObjectNode merge(JsonNode requested, SessionPolicy policy, String fieldPrefix) {
        ObjectNode pinned = policy.pinned() == null ? JsonNodeFactory.instance.objectNode() : policy.pinned();
        if (requested != null && !requested.isNull() && !requested.isObject()) {
            throw LatchkeyException.invalidField(fieldPrefix, "must be an object");
        }
        ObjectNode client = requested == null || requested.isNull() ? JsonNodeFactory.instance.objectNode()
                : (ObjectNode) requested.deepCopy();
        for (String path : leafPaths(client, "")) {
            JsonNode pinnedValue = at(pinned, path);
            String field = fieldPrefix.isEmpty() ? path : fieldPrefix + "." + path;
            if (pinnedValue != null) {
                if (!pinnedValue.equals(at(client, path))) {
                    throw LatchkeyException.invalidField(field, "is pinned by the organization's policy");
                }
            } else if (!allowed(policy.allowedOverrides(), path)) {
                throw LatchkeyException.invalidField(field, "may not be set by clients under the organization's policy");
            }
        }
        return deepMerge(client, pinned);
    }

    static boolean allowed(List<String> allowedOverrides, String path) {
        for (String allowed : allowedOverrides) {
            if (allowed.equals("*") || path.equals(allowed) || path.startsWith(allowed + ".")) {
                return true;
            }
        }
        return false;
    }

    /** The dotted paths of the leaves (non-object values) of an object. */
    static List<String> leafPaths(JsonNode node, String prefix) {
        List<String> paths = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            if (entry.getValue().isObject() && !entry.getValue().isEmpty()) {
                paths.addAll(leafPaths(entry.getValue(), path));
            } else {
                paths.add(path);
            }
        }
        return paths;
    }

    /** The value at a dotted path, or at the nearest pinned ancestor that is not an object. */
    private static JsonNode at(JsonNode node, String path) {
        JsonNode current = node;
        for (String part : path.split("\\.")) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(part);
            if (current != null && !current.isObject()) {
                return current;
            }
        }
        return current;
    }

    private static ObjectNode deepMerge(ObjectNode target, ObjectNode pinned) {
        for (Map.Entry<String, JsonNode> entry : pinned.properties()) {
            JsonNode existing = target.get(entry.getKey());
            if (existing != null && existing.isObject() && entry.getValue().isObject()) {
                deepMerge((ObjectNode) existing, (ObjectNode) entry.getValue());
            } else {
                target.set(entry.getKey(), entry.getValue().deepCopy());
            }
        }
        return target;
    }
}
