package dev.latchkey.broker;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import io.livekit.server.AccessToken;
import io.livekit.server.CanPublish;
import io.livekit.server.CanPublishData;
import io.livekit.server.CanPublishSources;
import io.livekit.server.CanSubscribe;
import io.livekit.server.RoomJoin;
import io.livekit.server.RoomName;

/**
 * LiveKit tokens checked the way LiveKit checks them (java-jwt, HMAC-SHA256 with the API
 * secret, issuer = API key, as LiveKit's own WebhookReceiver does), and compared claim by claim
 * with what LiveKit's server SDK builds for the same inputs.
 */
class LiveKitTokensIT extends BrokerTest {

    private static final String API_KEY = "APIlatchkeytest";
    private static final String API_SECRET = "livekit-test-secret-0123456789abcdefghijkl";

    @Test
    void givenLiveKitCredential_whenMinting_thenTheJwtVerifiesWithTheSecretAndMatchesTheServerSdk() {
        Tenant tenant = liveKitTenant();

        ApiClient.Response response = tenant.app().post("/v1/tokens", Map.of("provider", "livekit", "room", "lobby-1",
                "identity", "user-42", "name", "Ada", "metadata", "{\"tier\":\"gold\"}",
                "attributes", Map.of("team", "blue"), "ttl_seconds", 300,
                "grants", Map.of("can_publish", true, "can_subscribe", true, "can_publish_data", false,
                        "can_publish_sources", List.of("microphone"))));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("url").asString()).isEqualTo("wss://acme.livekit.cloud");
        DecodedJWT ours = JWT.require(Algorithm.HMAC256(API_SECRET)).withIssuer(API_KEY).build()
                .verify(response.json().get("token").asString());
        assertThat(ours.getExpiresAtAsInstant()).isBetween(Instant.now().plusSeconds(290), Instant.now().plusSeconds(301));
        assertThat(Instant.parse(response.json().get("expires_at").asString())).isEqualTo(ours.getExpiresAtAsInstant());

        AccessToken sdk = new AccessToken(API_KEY, API_SECRET);
        sdk.setIdentity("user-42");
        sdk.setName("Ada");
        sdk.setMetadata("{\"tier\":\"gold\"}");
        sdk.getAttributes().put("team", "blue");
        sdk.addGrants(new RoomJoin(true), new RoomName("lobby-1"), new CanPublish(true), new CanSubscribe(true),
                new CanPublishData(false), new CanPublishSources(List.of("microphone")));
        DecodedJWT theirs = JWT.decode(sdk.toJwt());

        for (String claim : List.of("iss", "sub", "name", "metadata")) {
            assertThat(ours.getClaim(claim).asString()).as(claim).isEqualTo(theirs.getClaim(claim).asString());
        }
        assertThat(ours.getClaim("attributes").asMap()).isEqualTo(theirs.getClaim("attributes").asMap());
        assertThat(ours.getClaim("video").asMap()).isEqualTo(theirs.getClaim("video").asMap());
        assertThat(ours.getHeaderClaim("alg").asString()).isEqualTo("HS256");
        assertThat(ours.getHeaderClaim("typ").asString()).isEqualTo("JWT");
        assertThat(response.body()).doesNotContain(API_SECRET);
    }

    @Test
    void givenAMint_whenAnswered_thenTheTokenComesWithItsContentLengthNotChunked() {
        Tenant tenant = liveKitTenant();

        ApiClient.Response response = tenant.app().post("/v1/tokens", Map.of("provider", "livekit", "room", "lobby-1",
                "identity", "user-42"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Transfer-Encoding")).isNull();
        assertThat(response.header("Content-Length")).isEqualTo(
                Integer.toString(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
    }

    @Test
    void givenDefaultPolicy_whenAClientAsksForAdminGrantsOrSendsBadFields_thenRefusedNamingTheField() {
        Tenant tenant = liveKitTenant();
        Map<String, Object> base = Map.of("provider", "livekit", "room", "lobby", "identity", "u1");

        assertThatProblem(tenant.app().post("/v1/tokens", with(base, "grants", Map.of("room_admin", true))))
                .hasStatus(400).namesField("grants.room_admin");
        assertThatProblem(tenant.app().post("/v1/tokens", with(base, "grants", Map.of("fly", true))))
                .hasStatus(400).namesField("grants.fly");
        assertThatProblem(tenant.app().post("/v1/tokens", with(base, "grants",
                Map.of("can_publish_sources", List.of("hologram"))))).hasStatus(400).namesField("grants.can_publish_sources");
        assertThatProblem(tenant.app().post("/v1/tokens", with(base, "room", "lobby/../admin")))
                .hasStatus(400).namesField("room");
        assertThatProblem(tenant.app().post("/v1/tokens", with(base, "identity", "")))
                .hasStatus(400).namesField("identity");
        assertThatProblem(tenant.app().post("/v1/tokens", with(base, "metadata", "x".repeat(5000))))
                .hasStatus(400).namesField("metadata");
        assertThatProblem(tenant.app().post("/v1/tokens", with(base, "session", Map.of("model", "x"))))
                .hasStatus(400).namesField("session");
        // A grant is true or false: a string or number in its place is a client's bug, not a yes.
        for (Object notABoolean : List.of("true", 1, "")) {
            assertThatProblem(tenant.app().post("/v1/tokens", with(base, "grants", Map.of("can_publish", notABoolean))))
                    .hasStatus(400).namesField("grants.can_publish");
        }
    }

    @Test
    void givenPolicyAllowingRoomAdmin_whenAsked_thenTheGrantIsSigned() {
        Tenant tenant = liveKitTenant();
        assertThat(tenant.owner().client().put(tenant.path("/policies/livekit"), Map.of("allowed_overrides",
                new String[] {"room_admin", "can_publish"}, "default_ttl_seconds", 120)).status()).isEqualTo(200);

        ApiClient.Response response = tenant.app().post("/v1/tokens", Map.of("provider", "livekit", "room", "lobby",
                "identity", "moderator", "grants", Map.of("room_admin", true)));

        DecodedJWT jwt = JWT.require(Algorithm.HMAC256(API_SECRET)).withIssuer(API_KEY).build()
                .verify(response.json().get("token").asString());
        assertThat(jwt.getClaim("video").asMap()).containsEntry("roomAdmin", true).containsEntry("room", "lobby");
        assertThat(jwt.getExpiresAtAsInstant()).isBefore(Instant.now().plusSeconds(121));
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new java.util.HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    /** A tenant with a LiveKit credential of {@link #API_KEY} and {@link #API_SECRET}, and an app key. */
    private Tenant liveKitTenant() {
        return tenantWith(Map.of("provider", "livekit", "label", "livekit",
                "secret", Map.of("api_secret", API_SECRET),
                "config", Map.of("api_key", API_KEY, "url", "wss://acme.livekit.cloud")));
    }
}
