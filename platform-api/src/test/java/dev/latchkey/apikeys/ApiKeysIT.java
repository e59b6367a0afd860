package dev.latchkey.apikeys;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.MutableClock;
import tools.jackson.databind.JsonNode;

class ApiKeysIT extends IntegrationTest {

    /** Any run of 40 or more key characters: what a leaked secret would look like in a response. */
    private static final String SECRET_LIKE = "(?s).*[A-Za-z0-9]{40,}.*";

    @Autowired
    private MeterRegistry meters;

    @Test
    void givenOwner_whenCreatingKey_thenTheKeyIsShownOnceAndNeverListed() {
        SignedUp owner = signUp();

        ApiClient.Response created = owner.client().post(keysOf(owner),
                Map.of("name", "backend", "scopes", List.of("tokens:mint", "usage:read")));

        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        String key = body.get("key").asString();
        assertThat(key).hasSize(58).startsWith("platform_").startsWith(body.get("prefix").asString());
        assertThat(body.get("prefix").asString().length()).isLessThan(key.length());
        assertThat(body.get("scopes").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder("tokens:mint", "usage:read");
        ApiClient.Response list = owner.client().get(keysOf(owner));
        ApiClient.Response one = owner.client().get(keysOf(owner) + "/" + body.get("id").asString());
        assertThat(list.json().get("items")).hasSize(1);
        assertThat(list.json().get("items").get(0).get("prefix").asString()).isEqualTo(body.get("prefix").asString());
        for (ApiClient.Response read : List.of(list, one)) {
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.body()).doesNotContain(key).doesNotMatch(SECRET_LIKE);
            assertThat(read.body()).doesNotContain("\"key\"");
        }
    }

    @Test
    void givenKeyWithScope_whenCallingOrgEndpoints_thenOnlyWhatTheScopeAllowsSucceeds() {
        SignedUp owner = signUp();
        ApiClient usageReader = client().bearer(createApiKey(owner, "usage:read"));
        ApiClient admin = client().bearer(createApiKey(owner, "admin"));

        assertThat(usageReader.get("/v1/orgs/" + owner.orgId()).status()).isEqualTo(200);
        assertThatProblem(usageReader.get(keysOf(owner))).hasStatus(403).hasType("/problems/forbidden");
        assertThat(admin.get("/v1/orgs/" + owner.orgId()).status()).isEqualTo(200);
        ApiClient.Response listedByKey = admin.get(keysOf(owner));
        assertThat(listedByKey.status()).isEqualTo(200);
        assertThat(listedByKey.json().get("items")).hasSize(2);
    }

    @Test
    void givenKeyInUse_whenRevoked_thenItIsRefusedWithinOneSecond() {
        SignedUp owner = signUp();
        IssuedKey key = issueApiKey(owner, "usage:read");
        ApiClient app = client().bearer(key.key());
        assertThat(app.get("/v1/orgs/" + owner.orgId()).status()).isEqualTo(200);

        assertThat(owner.client().delete(keysOf(owner) + "/" + key.id()).status()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> app.get("/v1/orgs/" + owner.orgId()).status() == 401);
        assertThatProblem(app.get("/v1/orgs/" + owner.orgId())).hasStatus(401).hasType("/problems/invalid-api-key");
        assertThat(owner.client().get(keysOf(owner) + "/" + key.id()).json().get("revoked_at").isNull()).isFalse();
    }

    @Test
    void givenKey_whenRotatedWithGracePeriod_thenOldAndNewSecretsBothWork() {
        SignedUp owner = signUp();
        IssuedKey key = issueApiKey(owner, "usage:read");

        ApiClient.Response rotated = owner.client().post(keysOf(owner) + "/" + key.id() + "/rotate",
                Map.of("grace_seconds", 300));

        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.json().get("id").asString()).isEqualTo(key.id().toString());
        String newKey = rotated.json().get("key").asString();
        assertThat(newKey).isNotEqualTo(key.key()).hasSize(58);
        assertThat(client().bearer(key.key()).get("/v1/orgs/" + owner.orgId()).status()).isEqualTo(200);
        assertThat(client().bearer(newKey).get("/v1/orgs/" + owner.orgId()).status()).isEqualTo(200);
        assertThat(owner.client().get(keysOf(owner)).body()).doesNotContain(key.key()).doesNotContain(newKey);
    }

    @Test
    void givenKeyInUse_whenRotatedWithoutGrace_thenOldSecretIsRefusedSoonAndNewOneWorks() {
        SignedUp owner = signUp();
        IssuedKey key = issueApiKey(owner, "usage:read");
        ApiClient oldApp = client().bearer(key.key());
        assertThat(oldApp.get("/v1/orgs/" + owner.orgId()).status()).isEqualTo(200);

        ApiClient.Response rotated = owner.client().post(keysOf(owner) + "/" + key.id() + "/rotate",
                Map.of("grace_seconds", 0));

        assertThat(rotated.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> oldApp.get("/v1/orgs/" + owner.orgId()).status() == 401);
        assertThatProblem(oldApp.get("/v1/orgs/" + owner.orgId())).hasType("/problems/invalid-api-key");
        ApiClient newApp = client().bearer(rotated.json().get("key").asString());
        assertThat(newApp.get("/v1/orgs/" + owner.orgId()).status()).isEqualTo(200);
    }

    @Test
    void givenKeyWithExpiry_whenTheExpiryPasses_thenItIsRefused() {
        SignedUp owner = signUp();
        Instant expiresAt = Instant.now().plusSeconds(3);
        ApiClient.Response created = owner.client().post(keysOf(owner),
                Map.of("name", "short-lived", "scopes", List.of("usage:read"), "expires_at", expiresAt.toString()));
        assertThat(created.status()).isEqualTo(201);
        assertThat(Instant.parse(created.json().get("expires_at").asString())).isEqualTo(expiresAt);
        ApiClient app = client().bearer(created.json().get("key").asString());
        assertThat(app.get("/v1/orgs/" + owner.orgId()).status()).isEqualTo(200);

        MutableClock.get().advance(Duration.ofSeconds(4));

        // Within the verified-key cache's lifetime (under a second, in real time).
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> app.get("/v1/orgs/" + owner.orgId()).status() == 401);

        assertThatProblem(app.get("/v1/orgs/" + owner.orgId())).hasType("/problems/invalid-api-key");
    }

    @Test
    void givenExpiryInThePast_whenCreatingKey_thenBadRequestNamingExpiresAt() {
        SignedUp owner = signUp();

        ApiClient.Response response = owner.client().post(keysOf(owner), Map.of("name", "stale",
                "scopes", List.of("usage:read"), "expires_at", Instant.now().minusSeconds(60).toString()));

        assertThatProblem(response).hasStatus(400).hasType("/problems/validation").namesField("expires_at");
        assertThat(owner.client().get(keysOf(owner)).json().get("items")).isEmpty();
    }

    @Test
    void givenUnknownScope_whenCreatingKey_thenBadRequestNamingScopes() {
        SignedUp owner = signUp();

        ApiClient.Response response = owner.client().post(keysOf(owner),
                Map.of("name", "wishful", "scopes", List.of("usage:read", "everything")));

        assertThatProblem(response).hasStatus(400).hasType("/problems/validation").namesField("scopes");
        assertThat(owner.client().get(keysOf(owner)).json().get("items")).isEmpty();
    }

    @Test
    void givenMistypedKey_whenCalling_thenMalformedKeyWithoutAnyDatabaseRead() {
        SignedUp owner = signUp();
        String key = createApiKey(owner, "admin");
        List<ApiClient> mistyped = List.of(
                client().bearer(key.substring(0, 20) + (key.charAt(20) == 'a' ? 'b' : 'a') + key.substring(21)),
                client().bearer(key.substring(0, key.length() - 1)));
        assertThat(timers("hikaricp.connections.usage")).as("Hikari pool metrics are registered").isNotEmpty();

        // Retried because a scheduled job may borrow a connection meanwhile; mistyped keys that
        // read the database would move the count on every attempt.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            long before = connectionUses();
            for (int i = 0; i < 10; i++) {
                for (ApiClient app : mistyped) {
                    assertThatProblem(app.get("/v1/orgs/" + owner.orgId())).hasStatus(401)
                            .hasType("/problems/malformed-api-key");
                }
            }
            assertThat(connectionUses()).isEqualTo(before);
        });
    }

    @Test
    void givenWellFormedButUnknownKey_whenCalling_thenInvalidKey() {
        SignedUp owner = signUp();
        String unknown = PlatformKeyFormat.generate(new SecureRandom()).key();

        ApiClient.Response response = client().bearer(unknown).get("/v1/orgs/" + owner.orgId());

        assertThatProblem(response).hasStatus(401).hasType("/problems/invalid-api-key");
    }

    @Test
    void givenKey_whenUsed_thenLastUsedAtIsRecordedShortlyAfter() {
        SignedUp owner = signUp();
        IssuedKey key = issueApiKey(owner, "usage:read");
        String keyPath = keysOf(owner) + "/" + key.id();
        assertThat(owner.client().get(keyPath).json().get("last_used_at").isNull()).isTrue();
        Instant beforeUse = Instant.now();

        assertThat(client().bearer(key.key()).get("/v1/orgs/" + owner.orgId()).status()).isEqualTo(200);

        // Uses are written in batches (every 5 s by default), off the request path.
        await().atMost(Duration.ofSeconds(12)).pollInterval(Duration.ofMillis(250))
                .until(() -> !owner.client().get(keyPath).json().get("last_used_at").isNull());
        Instant lastUsed = Instant.parse(owner.client().get(keyPath).json().get("last_used_at").asString());
        assertThat(lastUsed).isBetween(beforeUse.minusSeconds(1), Instant.now());
    }

    @Test
    void givenViewer_whenManagingKeys_thenTheyMayListButNotCreate() {
        SignedUp owner = signUp();
        createApiKey(owner, "usage:read");
        SignedUp viewer = signUpMemberOf(owner, "viewer");

        ApiClient.Response create = viewer.client().post(keysOf(owner),
                Map.of("name", "viewer key", "scopes", List.of("usage:read")));
        ApiClient.Response list = viewer.client().get(keysOf(owner));

        assertThatProblem(create).hasStatus(403).hasType("/problems/forbidden");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("items")).hasSize(1);
    }

    @Test
    void givenDeveloper_whenCreatingKey_thenCreated() {
        SignedUp owner = signUp();
        SignedUp developer = signUpMemberOf(owner, "developer");

        ApiClient.Response create = developer.client().post(keysOf(owner),
                Map.of("name", "developer key", "scopes", List.of("tokens:mint")));

        assertThat(create.status()).isEqualTo(201);
        assertThat(owner.client().get(keysOf(owner)).json().get("items").get(0).get("created_by").asString())
                .isEqualTo(developer.userId().toString());
    }

    private static String keysOf(SignedUp owner) {
        return "/v1/orgs/" + owner.orgId() + "/api-keys";
    }

    private List<Timer> timers(String name) {
        return List.copyOf(meters.find(name).timers());
    }

    /** How many times a connection was borrowed from the pool so far. */
    private long connectionUses() {
        return timers("hikaricp.connections.usage").stream().mapToLong(Timer::count).sum();
    }
}
