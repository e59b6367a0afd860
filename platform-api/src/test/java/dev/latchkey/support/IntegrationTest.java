package dev.latchkey.support;

import java.util.Map;
import java.util.UUID;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;

/**
 * The base of every {@code *IT}: the whole application on a random port over real PostgreSQL
 * and Redis, called over real HTTP through the real security chain.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class IntegrationTest {

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.get().properties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("latchkey.accounts.login-throttle.per-ip", () -> "100000");
    }

    protected ApiClient client() {
        return new ApiClient("http://127.0.0.1:" + port);
    }

    /** A newly signed-up user, signed in, and the organization they own. */
    protected record SignedUp(ApiClient client, String email, String password, UUID userId, UUID orgId) {
    }

    protected SignedUp signUp() {
        return signUp(client());
    }

    protected SignedUp signUp(ApiClient client) {
        String email = "user-" + UUID.randomUUID() + "@example.com";
        String password = "correct horse " + UUID.randomUUID();
        ApiClient.Response response = client.post("/v1/auth/signup", Map.of("email", email, "password", password,
                "name", "Test User", "organization_name", "Test Org"));
        if (response.status() != 201) {
            throw new AssertionError("signup failed: " + response);
        }
        JsonNode body = response.json();
        return new SignedUp(client, email, password, UUID.fromString(body.get("user").get("id").asString()),
                UUID.fromString(body.get("organization").get("id").asString()));
    }

    /** Creates an API key with the given scopes and returns the full key. */
    protected String createApiKey(SignedUp owner, String... scopes) {
        ApiClient.Response response = owner.client().post("/v1/orgs/" + owner.orgId() + "/api-keys",
                Map.of("name", "test key", "scopes", scopes));
        if (response.status() != 201) {
            throw new AssertionError("key creation failed: " + response);
        }
        return response.json().get("key").asString();
    }
}
