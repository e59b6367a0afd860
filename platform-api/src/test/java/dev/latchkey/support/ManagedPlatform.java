package dev.latchkey.support;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * The platform's side of managed credentials in tests: a platform admin stores a platform
 * credential and makes it its provider's default (the one managed access brokers through), and
 * switches managed access on for an organization. Platform credentials are shared by the whole
 * test run, so every test makes its own the default before it relies on it.
 */
public final class ManagedPlatform {

    private ManagedPlatform() {
    }

    /** Stores a platform credential, makes it its provider's default and returns it as the admin API shows it. */
    public static JsonNode storeDefault(ApiClient admin, Map<String, Object> credential) {
        ApiClient.Response created = admin.post("/v1/admin/credentials", credential);
        if (created.status() != 201) {
            throw new AssertionError("storing a platform credential failed: " + created);
        }
        String id = created.json().get("id").asString();
        ApiClient.Response made = admin.post("/v1/admin/credentials/" + id + "/default", null);
        if (made.status() != 200) {
            throw new AssertionError("making a platform credential the default failed: " + made);
        }
        return made.json();
    }

    public static UUID id(JsonNode credential) {
        return UUID.fromString(credential.get("id").asString());
    }

    /** {@code PUT /v1/admin/orgs/{orgId}/managed-access} that must succeed. */
    public static JsonNode grant(ApiClient admin, UUID orgId, String... providers) {
        ApiClient.Response response = admin.put("/v1/admin/orgs/" + orgId + "/managed-access",
                Map.of("providers", List.of(providers)));
        if (response.status() != 200) {
            throw new AssertionError("granting managed access failed: " + response);
        }
        return response.json();
    }

    public static Map<String, Object> openAi(String label, String apiKey) {
        return Map.of("provider", "openai", "label", label, "secret", Map.of("api_key", apiKey));
    }

    public static Map<String, Object> liveKit(String label, String apiKey, String apiSecret, String url) {
        return Map.of("provider", "livekit", "label", label, "secret", Map.of("api_secret", apiSecret),
                "config", Map.of("api_key", apiKey, "url", url));
    }
}
