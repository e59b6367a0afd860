package dev.latchkey.broker;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import tools.jackson.databind.JsonNode;

class RoomsIT extends BrokerTest {

    @Test
    void givenDailyCredential_whenCreatingReadingAndDeletingARoom_thenDailyGetsAPrivateExpiringRoomFromTheProfile() {
        Tenant tenant = tenantWith(Map.of("provider", "daily", "label", "daily",
                "secret", Map.of("api_key", "daily-test-rooms-key-00000001")));
        ApiClient app = client().bearer(createApiKey(tenant.owner(), "rooms:write"));
        String name = "standup-" + System.nanoTime();

        ApiClient.Response created = app.post("/v1/rooms", Map.of("profile", "audio-only", "name", name,
                "overrides", Map.of("max_participants", 4), "ttl_seconds", 1800), "X-Provider", "Daily");

        assertThat(created.status()).isEqualTo(201);
        JsonNode sent = upstream.last("POST", "/daily/rooms").json();
        assertThat(sent.get("name").asString()).isEqualTo(name);
        assertThat(sent.get("privacy").asString()).isEqualTo("private");
        JsonNode properties = sent.get("properties");
        assertThat(properties.get("start_video_off").asBoolean()).isTrue();
        assertThat(properties.get("max_participants").asInt()).isEqualTo(4);
        assertThat(properties.get("eject_at_room_exp").asBoolean()).isTrue();
        assertThat(properties.get("exp").asLong()).isBetween(Instant.now().getEpochSecond() + 1790,
                Instant.now().getEpochSecond() + 1810);
        assertThat(created.json().get("url").asString()).endsWith("/" + name);

        assertThat(app.get("/v1/rooms/" + name).json().get("name").asString()).isEqualTo(name);
        assertThat(app.delete("/v1/rooms/" + name).status()).isEqualTo(204);
        assertThatProblem(app.get("/v1/rooms/" + name)).hasStatus(404);
        assertThatProblem(app.delete("/v1/rooms/" + name)).hasStatus(404);
    }

    @Test
    void givenBadRoomRequests_whenCreating_thenRefusedNamingTheFieldWithoutCallingDaily() {
        Tenant tenant = tenantWith(Map.of("provider", "daily", "label", "daily",
                "secret", Map.of("api_key", "daily-test-rooms-key-00000002")));
        ApiClient app = client().bearer(createApiKey(tenant.owner(), "rooms:write"));
        int before = upstream.count("POST", "/daily/rooms");

        assertThatProblem(app.post("/v1/rooms", Map.of("profile", "stadium"))).hasStatus(400).namesField("profile");
        assertThatProblem(app.post("/v1/rooms", Map.of("name", "no spaces allowed"))).hasStatus(400).namesField("name");
        assertThatProblem(app.post("/v1/rooms", Map.of("overrides", Map.of("enable_chat", "yes"))))
                .hasStatus(400).namesField("overrides.enable_chat");
        assertThatProblem(app.post("/v1/rooms", Map.of("overrides", Map.of("owner_only_broadcast", false))))
                .hasStatus(400).namesField("overrides.owner_only_broadcast");
        assertThatProblem(app.post("/v1/rooms", Map.of(), "X-Provider", "zoom")).hasStatus(400).namesField("X-Provider");
        assertThatProblem(client().bearer(createApiKey(tenant.owner(), "tokens:mint")).post("/v1/rooms", Map.of()))
                .hasStatus(403);
        assertThat(upstream.count("POST", "/daily/rooms")).isEqualTo(before);
    }
}
