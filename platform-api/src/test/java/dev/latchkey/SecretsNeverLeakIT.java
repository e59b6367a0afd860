package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.Reliability;
import dev.latchkey.support.TestInfrastructure;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * One run that uses the platform's secrets (passwords, platform keys, rotated keys, provider keys,
 * invitation tokens) the way tenants do, brokering included, then searches for each of them in
 * every response, the whole log output, every row of every table, a {@code pg_dump} of the database
 * and this run's Redis keyspace.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsNeverLeakIT extends IntegrationTest {

    @Test
    void givenPasswordsAndApiKeysInUse_whenSearchingResponsesLogsAndEveryDatabaseRow_thenNoSecretIsFound(
            CapturedOutput output) throws SQLException {
        SignedUp owner = signUp();
        String orgPath = "/v1/orgs/" + owner.orgId();
        ApiClient.Response created = owner.client().post(orgPath + "/api-keys",
                Map.of("name", "leak check", "scopes", new String[] {"admin"}));
        String key = created.json().get("key").asString();
        String keyId = created.json().get("id").asString();
        ApiClient.Response rotated = owner.client().post(orgPath + "/api-keys/" + keyId + "/rotate",
                Map.of("grace_seconds", 60));
        String rotatedKey = rotated.json().get("key").asString();
        String providerKey = "sk-test-never-leak-provider-key-0123456789";
        String liveKitSecret = "livekit-never-leak-api-secret-0123456789";
        ApiClient.Response credential = owner.client().post(orgPath + "/credentials", Map.of("provider", "openai",
                "label", "leak check", "secret", Map.of("api_key", providerKey)));
        String credentialId = credential.json().get("id").asString();
        List<ApiClient.Response> responses = new ArrayList<>(List.of(credential,
                owner.client().post(orgPath + "/credentials", Map.of("provider", "livekit", "label", "lk",
                        "secret", Map.of("api_secret", liveKitSecret),
                        "config", Map.of("api_key", "APIleakcheck", "url", "wss://leak.livekit.cloud"))),
                owner.client().put(orgPath + "/credentials/" + credentialId + "/secret",
                        Map.of("secret", Map.of("api_key", providerKey + "-rotated"))),
                owner.client().get(orgPath + "/credentials"),
                // A refused secret must not come back in the error either.
                owner.client().post(orgPath + "/credentials", Map.of("provider", "openai", "label", "bad",
                        "secret", Map.of("api_key", providerKey + " with spaces")))));
        ApiClient app = client().bearer(rotatedKey);
        responses.add(app.get(orgPath));
        responses.add(app.get(orgPath + "/api-keys"));
        responses.add(client().bearer(key).get(orgPath + "/api-keys/" + keyId));
        responses.add(owner.client().get("/v1/me"));
        // An invitation token: shown once to the inviter, then only ever presented by the invitee.
        String invitationToken = owner.client().post(orgPath + "/members", Map.of("email", "invitee-" + owner.email(),
                "role", "developer")).json().get("token").asString();
        responses.add(owner.client().get(orgPath + "/invitations"));
        responses.add(signUp().client().post("/v1/invitations/accept", Map.of("token", invitationToken)));
        responses.add(owner.client().get(orgPath + "/members"));
        responses.add(owner.client().get(orgPath + "/audit-events"));
        // Failures too: a wrong password and a broken key end up in logs and audit rows.
        responses.add(client().post("/v1/auth/login", Map.of("email", owner.email(), "password", owner.password() + "x")));
        responses.add(client().bearer(rotatedKey.substring(0, rotatedKey.length() - 1) + "A").get(orgPath));
        // Brokering decrypts the credentials and sends the provider key upstream: the riskiest path for logs.
        ApiClient minter = client().bearer(createApiKey(owner, "tokens:mint"));
        responses.add(minter.post("/v1/tokens", Map.of("provider", "livekit", "room", "leak", "identity", "p")));
        responses.add(minter.post("/v1/tokens", Map.of("provider", "openai")));
        responses.add(minter.post("/openai/v1/realtime/client_secrets", Map.of()));
        responses.add(minter.post("/v1/tokens", Map.of("provider", "openai", "model", providerKey)));
        // Secrets shown once, in the answer that creates them (not searched): a webhook's signing secret, a TOTP seed.
        String webhookSecret = owner.client().post(orgPath + "/webhooks", Map.of("url", "http://127.0.0.1:9/hooks",
                "description", "leak check")).json().get("secret").asString();
        responses.add(owner.client().get(orgPath + "/webhooks"));
        String totpSecret = owner.client().post("/v1/me/mfa/totp", null).json().get("secret").asString();
        responses.add(owner.client().get("/v1/me/mfa"));
        List<String> secrets = List.of(webhookSecret, totpSecret, owner.password(), owner.password() + "x", key, rotatedKey,
                secretPart(key), secretPart(rotatedKey), providerKey, providerKey.substring(3), liveKitSecret,
                invitationToken, invitationToken.substring("invite_".length()));

        List<String> leaks = new ArrayList<>();
        for (ApiClient.Response response : responses) {
            leaks.addAll(Reliability.leakedInto("a response", response.headers() + " " + response.body(), secrets));
        }
        leaks.addAll(Reliability.leakedInto("the log", output.getAll(), secrets));
        String everyRow = everyRowOfEveryTable();
        assertThat(everyRow).contains(owner.email());
        leaks.addAll(Reliability.leakedInto("a database row", everyRow, secrets));
        String dump = pgDump();
        assertThat(dump).contains(owner.email());
        leaks.addAll(Reliability.leakedInto("pg_dump", dump, secrets));
        String keyspace = redisKeyspace();
        assertThat(keyspace).as("this run's Redis keyspace").contains(owner.orgId().toString());
        leaks.addAll(Reliability.leakedInto("Redis", keyspace, secrets));

        assertThat(leaks).isEmpty();
    }

    /** The whole database as {@code pg_dump} writes it (schema and data), as its owner. */
    private static String pgDump() {
        TestInfrastructure infrastructure = TestInfrastructure.get();
        java.net.InetSocketAddress postgres = infrastructure.postgresAddress();
        String database = infrastructure.jdbcUrl().replaceFirst("^.*/([^/?]+)(\\?.*)?$", "$1");
        ProcessBuilder builder = new ProcessBuilder("pg_dump", "--no-owner", "-h", postgres.getHostString(),
                "-p", Integer.toString(postgres.getPort()), "-U", infrastructure.owner().name(), database)
                .redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", infrastructure.owner().password());
        try {
            Process process = builder.start();
            String dump = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("pg_dump: %s", dump.lines().limit(5).toList()).isZero();
            return dump;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every key of this run's prefix and its value, whatever its type. */
    private static String redisKeyspace() {
        TestInfrastructure infrastructure = TestInfrastructure.get();
        String prefix = infrastructure.properties().get("latchkey.redis.key-prefix");
        RedisClient redis = RedisClient.create("redis://" + infrastructure.redisHost() + ":" + infrastructure.redisPort());
        StringBuilder all = new StringBuilder();
        try (StatefulRedisConnection<String, String> connection = redis.connect()) {
            RedisCommands<String, String> commands = connection.sync();
            for (String key : commands.keys(prefix + "*")) {
                all.append(key).append(" = ");
                switch (commands.type(key)) {
                    case "string" -> all.append(commands.get(key));
                    case "hash" -> all.append(commands.hgetall(key));
                    case "list" -> all.append(commands.lrange(key, 0, -1));
                    case "set" -> all.append(commands.smembers(key));
                    case "zset" -> all.append(commands.zrange(key, 0, -1));
                    default -> all.append(commands.dump(key) == null ? "" : new String(commands.dump(key),
                            java.nio.charset.StandardCharsets.ISO_8859_1));
                }
                all.append('\n');
            }
        } finally {
            redis.shutdown();
        }
        return all.toString();
    }

    /** The random part of a key after its public lookup id: what must stay secret. */
    private static String secretPart(String key) {
        return key.substring("platform_".length() + 12);
    }

    private static String everyRowOfEveryTable() throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Connection connection = TestInfrastructure.get().connect(); Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("users", "api_key_secrets", "audit_events", "spring_session_attributes",
                    "provider_credentials", "org_data_keys");
            for (String table : tables) {
                try (ResultSet rs = statement.executeQuery("SELECT t::text FROM \"" + table + "\" t")) {
                    while (rs.next()) {
                        all.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        return all.toString();
    }
}
