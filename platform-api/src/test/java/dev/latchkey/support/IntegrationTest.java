package dev.latchkey.support;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
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

    /** The platform admin the application bootstraps (accounts/PlatformAdminBootstrap) for every IT. */
    protected static final String PLATFORM_ADMIN_EMAIL = "platform-admin@latchkey.test";
    protected static final String PLATFORM_ADMIN_PASSWORD = "platform admin test passphrase";
    /** One signed-in admin per application (port): the login throttle allows few logins per account. */
    private static final Map<Integer, ApiClient> PLATFORM_ADMINS = new java.util.concurrent.ConcurrentHashMap<>();

    @LocalServerPort
    protected int port;

    /** A test that moved the application's clock (MutableClock) leaves it as it found it. */
    @AfterEach
    void resetTheClock() {
        MutableClock.get().reset();
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        applicationProperties().forEach((name, value) -> registry.add(name, () -> value));
    }

    /** The properties of every application instance of the tests, this one's and {@link SecondInstance}s. */
    static Map<String, String> applicationProperties() {
        Map<String, String> properties = new java.util.LinkedHashMap<>(TestInfrastructure.get().properties());
        // Every test client comes from 127.0.0.1: the per-address throttles would count them all as one.
        // The per-account throttles keep their defaults (ThrottlesIT tests the per-address ones).
        for (String throttle : List.of("login", "signup", "org-creation", "invitation", "invitation-acceptance",
                "password-reset", "email-verification", "mfa", "link")) {
            properties.put("latchkey.accounts." + throttle + "-throttle.per-ip", "100000");
        }
        properties.put("latchkey.bootstrap-admin.email", PLATFORM_ADMIN_EMAIL);
        properties.put("latchkey.bootstrap-admin.password", PLATFORM_ADMIN_PASSWORD);
        for (String provider : FakeUpstream.providers()) {
            properties.put("latchkey.providers." + provider + ".base-url", FakeUpstream.get().baseUrl(provider));
        }
        properties.put("latchkey.upstream.read-timeout", "2s");
        // Failure tests must not trip the shared circuit breakers for the tests that follow.
        properties.put("latchkey.upstream.circuit-breaker.minimum-calls", "100000");
        return properties;
    }

    /**
     * Waits until the audit linker has appended every pending event to the chain: for tests that
     * read {@code audit_events} straight from the database (the API shows pending events anyway).
     */
    public static void awaitAuditLinked() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(20)).until(() -> {
                    try (java.sql.Connection connection = TestInfrastructure.get().connect();
                            java.sql.Statement statement = connection.createStatement();
                            java.sql.ResultSet rs = statement.executeQuery("SELECT count(*) FROM audit_pending")) {
                        rs.next();
                        return rs.getLong(1) == 0;
                    }
                });
    }

    protected ApiClient client() {
        return new ApiClient("http://127.0.0.1:" + port);
    }

    /** A newly signed-up user, signed in, and the organization they own. */
    protected record SignedUp(ApiClient client, String email, String password, UUID userId, UUID orgId) {
    }

    /** A console client signed in as the bootstrapped platform admin. */
    protected ApiClient platformAdmin() {
        return PLATFORM_ADMINS.computeIfAbsent(port, p -> {
            ApiClient admin = client();
            ApiClient.Response login = admin.post("/v1/auth/login",
                    Map.of("email", PLATFORM_ADMIN_EMAIL, "password", PLATFORM_ADMIN_PASSWORD));
            if (login.status() != 200 || !login.json().get("user").get("platform_admin").asBoolean()) {
                throw new AssertionError("platform admin login failed: " + login);
            }
            return admin;
        });
    }

    protected SignedUp signUp() {
        return signUp(client());
    }

    protected SignedUp signUp(ApiClient client) {
        return signUp(client, randomEmail());
    }

    /** Signs up with a chosen email, e.g. one that was invited before it had an account. */
    protected SignedUp signUp(String email) {
        return signUp(client(), email);
    }

    private SignedUp signUp(ApiClient client, String email) {
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

    protected static String randomEmail() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    /**
     * Signs up a new user (who owns an organization of their own), has the owner invite them to
     * the owner's organization with the given role, and accepts the invitation as them.
     */
    protected SignedUp signUpMemberOf(SignedUp owner, String role) {
        SignedUp member = signUp();
        String token = invite(owner, member.email(), role).token();
        ApiClient.Response accepted = member.client().post("/v1/invitations/accept", Map.of("token", token));
        if (accepted.status() != 200) {
            throw new AssertionError("accepting an invitation failed: " + accepted);
        }
        return member;
    }

    /** An invitation as created: its id and token (shown only once) and the link made of the token. */
    protected record Invited(UUID id, String token, String url) {
    }

    /** The owner (or any member who manages people) invites the email with the role. */
    protected Invited invite(SignedUp inviter, String email, String role) {
        return invite(inviter, inviter.orgId(), email, role);
    }

    protected Invited invite(SignedUp inviter, UUID orgId, String email, String role) {
        ApiClient.Response invited = inviter.client().post("/v1/orgs/" + orgId + "/members",
                Map.of("email", email, "role", role));
        if (invited.status() != 201) {
            throw new AssertionError("inviting failed: " + invited);
        }
        JsonNode body = invited.json();
        return new Invited(UUID.fromString(body.get("invitation_id").asString()), body.get("token").asString(),
                body.get("invitation_url").asString());
    }

    /** A platform API key as created: its id and the full key, which is shown only once. */
    protected record IssuedKey(UUID id, String key) {
    }

    /** Creates an API key with the given scopes in the owner's organization. */
    protected IssuedKey issueApiKey(SignedUp owner, String... scopes) {
        return issueApiKey(owner, owner.orgId(), scopes);
    }

    /** Creates an API key with the given scopes in {@code orgId}, of which {@code creator} is a member. */
    protected IssuedKey issueApiKey(SignedUp creator, UUID orgId, String... scopes) {
        ApiClient.Response response = creator.client().post("/v1/orgs/" + orgId + "/api-keys",
                Map.of("name", "test key", "scopes", scopes));
        if (response.status() != 201) {
            throw new AssertionError("key creation failed: " + response);
        }
        return new IssuedKey(UUID.fromString(response.json().get("id").asString()),
                response.json().get("key").asString());
    }

    /** Creates an API key with the given scopes and returns the full key. */
    protected String createApiKey(SignedUp owner, String... scopes) {
        return issueApiKey(owner, scopes).key();
    }
}
