package dev.latchkey.broker;

import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/tokens}: every field any provider takes; each provider accepts its own subset.
 * {@code credential} is what {@code X-Credential-Id} may say instead: a stored credential's id, or
 * {@code managed} for the platform's managed credential.
 */
public record MintRequest(String provider, JsonNode session, Integer ttlSeconds, String endUser, String room,
        String identity, String name, String metadata, Map<String, String> attributes, JsonNode grants,
        String userName, Boolean isOwner, String credential) {

    /** The request fields that are set, by their JSON names. */
    Map<String, Object> presentFields() {
        Map<String, Object> present = new java.util.LinkedHashMap<>();
        put(present, "session", session);
        put(present, "room", room);
        put(present, "identity", identity);
        put(present, "name", name);
        put(present, "metadata", metadata);
        put(present, "attributes", attributes);
        put(present, "grants", grants);
        put(present, "user_name", userName);
        put(present, "is_owner", isOwner);
        return present;
    }

    private static void put(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
