package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jakarta.mail.internet.MimeMessage;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import dev.latchkey.support.TestInfrastructure;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged jar, the one the Docker image carries, started the way docker-compose starts it:
 * the compose file's database roles (its own init SQL), the {@code migrations} service's
 * command and environment, then {@code platform-api}'s environment. No Docker engine runs here,
 * so the hosts are this machine's PostgreSQL and Redis and, with no Vault, the key-encryption
 * backend is a local master key; everything else is the compose file's, production mode
 * included. Then a LiveKit token is brokered over real HTTP, and the platform shuts down
 * gracefully on SIGTERM.
 */
class ProductionJarIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    static Path workspace;

    private static final TestInfrastructure infrastructure = TestInfrastructure.get();
    /** The compose file's mailpit, played by an SMTP server inside the test. */
    private static final GreenMail SMTP = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
    private static Map<String, String> variables;
    private static String database;
    private static Process platform;
    private static int port;

    @BeforeAll
    static void createTheRolesAsTheComposeInitScriptDoes() throws Exception {
        database = infrastructure.runScopedName("compose");
        variables = new LinkedHashMap<>(ComposeFile.readEnvFile(Repository.file(".env.example")));
        variables.replaceAll((name, value) -> "change-me".equals(value) ? secret() : value);
        variables.put("LATCHKEY_DB_NAME", database);
        variables.put("LATCHKEY_DB_OWNER", database + "_owner");
        variables.put("LATCHKEY_DB_APP", database + "_app");
        SMTP.start();
        runInitSql(Repository.file("docker/postgres/latchkey-roles.sql"), Map.of(
                "owner", variables.get("LATCHKEY_DB_OWNER"), "owner_password", variables.get("LATCHKEY_DB_OWNER_PASSWORD"),
                "app", variables.get("LATCHKEY_DB_APP"), "app_password", variables.get("LATCHKEY_DB_APP_PASSWORD"),
                "database", database));
    }

    @AfterAll
    static void stopThePlatform() {
        if (platform != null && platform.isAlive()) {
            platform.destroyForcibly();
        }
        SMTP.stop();
    }

    @Test
    void givenTheComposeEnvironment_whenThePackagedJarMigratesThenServes_thenItBrokersALiveKitTokenAndStopsGracefully()
            throws Exception {
        ComposeFile compose = ComposeFile.read(Repository.file("docker-compose.yml"));

        Process migrate = start("migrate", local(compose.environment("migrations", variables)), "migrate");
        assertThat(migrate.waitFor(3, TimeUnit.MINUTES)).as("migrate finished").isTrue();
        assertThat(migrate.exitValue()).as(log("migrate")).isZero();
        assertThat(log("migrate")).contains("Successfully applied");

        port = freePort();
        Map<String, String> environment = local(compose.environment("platform-api", variables));
        environment.put("SERVER_PORT", Integer.toString(port));
        environment.put("SERVER_ADDRESS", "127.0.0.1");
        platform = start("platform", environment);
        awaitReadiness();

        brokerALiveKitToken();
        assertThat(query("SELECT count(*) FROM usage_ledger")).as("one ledger row, written by the application role")
                .isEqualTo("1");
        assertThat(query("SELECT string_agg(DISTINCT installed_by, ',') FROM flyway_schema_history"))
                .isEqualTo(variables.get("LATCHKEY_DB_OWNER"));

        platform.destroy(); // SIGTERM, as docker stop and Kubernetes send
        assertThat(platform.waitFor(60, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
        String log = log("platform");
        assertThat(log).contains("Graceful shutdown complete");
        assertThat(log).as("production logs are JSON lines").isNotBlank();
        for (String line : log.lines().filter(line -> !line.isBlank()).toList()) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.has("@timestamp") && event.has("message")).as(line).isTrue();
        }
    }

    private static void brokerALiveKitToken() throws Exception {
        Console console = new Console("http://127.0.0.1:" + port);
        HttpResponse<String> signup = console.write("POST", "/v1/auth/signup", Map.of("email",
                "compose-" + UUID.randomUUID() + "@example.com", "password", "a long compose passphrase",
                "name", "Compose", "organization_name", "Compose"));
        assertThat(signup.statusCode()).as(signup.body()).isEqualTo(201);
        assertThat(signup.headers().allValues("Set-Cookie")).as("production cookies")
                .anyMatch(cookie -> cookie.startsWith("__Host-LATCHKEY_SESSION=") && cookie.contains("Secure"));
        String orgId = JSON.readTree(signup.body()).get("organization").get("id").asString();
        // Production requires a verified email before credentials and keys: the link comes by mail.
        String email = JSON.readTree(signup.body()).get("user").get("email").asString();
        MimeMessage mail = Awaitility.await("the verification mail").atMost(Duration.ofSeconds(30))
                .until(() -> java.util.Arrays.stream(SMTP.getReceivedMessages()).filter(m -> recipient(m).equals(email))
                        .findFirst().orElse(null), java.util.Objects::nonNull);
        Matcher link = Pattern.compile("(http://localhost:8080)/verify-email#token=([A-Za-z0-9_]+)")
                .matcher(GreenMailUtil.getBody(mail).replace("=\r\n", "").replace("=3D", "="));
        assertThat(link.find()).as("the link to LATCHKEY_PUBLIC_URL in %s", GreenMailUtil.getBody(mail)).isTrue();
        assertThat(console.write("POST", "/v1/auth/verify-email", Map.of("token", link.group(2))).statusCode())
                .isEqualTo(204);

        String apiSecret = "compose-livekit-secret-" + UUID.randomUUID();
        HttpResponse<String> credential = console.write("POST", "/v1/orgs/" + orgId + "/credentials", Map.of(
                "provider", "livekit", "label", "compose", "secret", Map.of("api_secret", apiSecret),
                "config", Map.of("api_key", "APIcompose", "url", "wss://compose.livekit.cloud")));
        assertThat(credential.statusCode()).as(credential.body()).isEqualTo(201);
        HttpResponse<String> key = console.write("POST", "/v1/orgs/" + orgId + "/api-keys",
                Map.of("name", "backend", "scopes", List.of("tokens:mint")));
        assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
        String platformKey = JSON.readTree(key.body()).get("key").asString();

        HttpResponse<String> minted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/tokens"))
                .header("Authorization", "Bearer " + platformKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("provider", "livekit",
                        "room", "compose-room", "identity", "alice"))))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
        DecodedJWT token = JWT.require(Algorithm.HMAC256(apiSecret)).withIssuer("APIcompose").build()
                .verify(JSON.readTree(minted.body()).get("token").asString());
        assertThat(token.getSubject()).isEqualTo("alice");
        assertThat(token.getClaim("video").asMap()).containsEntry("room", "compose-room");
    }

    /**
     * What no Docker engine can provide here, replaced by this machine's services: PostgreSQL and
     * Redis on 127.0.0.1 (this run's database and key prefix) and a local master key for Vault.
     * The image's JVM options come from the Dockerfile.
     */
    private static Map<String, String> local(Map<String, String> compose) throws IOException {
        Map<String, String> environment = new HashMap<>(compose);
        environment.computeIfPresent("SPRING_DATASOURCE_URL", (name, url) -> infrastructure.jdbcUrl(database));
        if (environment.containsKey("SPRING_DATA_REDIS_HOST")) {
            environment.put("SPRING_DATA_REDIS_HOST", infrastructure.redisHost());
            environment.put("SPRING_DATA_REDIS_PORT", Integer.toString(infrastructure.redisPort()));
            environment.remove("SPRING_DATA_REDIS_PASSWORD"); // the local Redis has none
            environment.put("LATCHKEY_REDIS_KEY_PREFIX", database + ":");
        }
        if ("vault".equals(environment.remove("LATCHKEY_CRYPTO_BACKEND"))) {
            environment.keySet().removeIf(name -> name.startsWith("LATCHKEY_CRYPTO_VAULT_"));
            environment.put("LATCHKEY_CRYPTO_BACKEND", "local");
            environment.put("LATCHKEY_CRYPTO_LOCAL_MASTER_KEY", secret());
        }
        if (environment.containsKey("SPRING_MAIL_HOST")) {
            environment.put("SPRING_MAIL_HOST", "127.0.0.1");
            environment.put("SPRING_MAIL_PORT", Integer.toString(SMTP.getSmtp().getPort()));
        }
        String dockerfile = Files.readString(Repository.file("Dockerfile"));
        Matcher options = Pattern.compile("(?m)^ENV JAVA_TOOL_OPTIONS=\"([^\"]+)\"").matcher(dockerfile);
        assertThat(options.find()).as("the Dockerfile sets JAVA_TOOL_OPTIONS").isTrue();
        // The image runs on Java 25; a test JVM older than that skips the options it does not know
        // (compact object headers) instead of refusing to start.
        String ignoreNewer = Runtime.version().feature() < 25 ? "-XX:+IgnoreUnrecognizedVMOptions " : "";
        environment.put("JAVA_TOOL_OPTIONS", ignoreNewer + options.group(1));
        environment.put("MALLOC_ARENA_MAX", "2");
        return environment;
    }

    private static Process start(String name, Map<String, String> environment, String... arguments)
            throws IOException {
        Path jar = Path.of(System.getProperty("latchkey.packaged-jar", "target/latchkey-platform-api.jar"));
        assertThat(jar).as("the packaged jar (run by failsafe after package)").isRegularFile();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-jar",
                jar.toString()));
        command.addAll(List.of(arguments));
        Path directory = Files.createDirectories(workspace.resolve(name));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(workspace.resolve(name + ".log").toFile())
                .redirectError(workspace.resolve(name + ".err").toFile());
        // Only what the container would get: none of this machine's own Latchkey or Spring settings.
        builder.environment().keySet().removeIf(variable -> variable.matches(
                "(SPRING|LATCHKEY|SERVER|MANAGEMENT|LOGGING)_.*|JAVA_TOOL_OPTIONS|JDK_JAVA_OPTIONS|_JAVA_OPTIONS"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static void awaitReadiness() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Awaitility.await("the platform's readiness").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!platform.isAlive()) {
                        throw new AssertionError("The platform exited with " + platform.exitValue() + ":\n"
                                + log("platform") + log("platform.err"));
                    }
                    try {
                        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString())
                                .statusCode() == 200;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
    }

    /** Runs the compose init SQL as psql would, with its {@code :"identifier"} and {@code :'literal'} variables. */
    private static void runInitSql(Path file, Map<String, String> psqlVariables) throws IOException {
        String sql = Files.readString(file).lines().filter(line -> !line.startsWith("--"))
                .reduce("", (all, line) -> all + line + "\n");
        for (Map.Entry<String, String> variable : psqlVariables.entrySet()) {
            sql = sql.replace(":\"" + variable.getKey() + "\"", "\"" + variable.getValue().replace("\"", "\"\"") + "\"")
                    .replace(":'" + variable.getKey() + "'", "'" + variable.getValue().replace("'", "''") + "'");
        }
        for (String statement : sql.split(";\\s*\n")) {
            if (!statement.isBlank()) {
                infrastructure.executeAsAdministrator(statement.strip());
            }
        }
    }

    private static String query(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(infrastructure.jdbcUrl(database),
                variables.get("LATCHKEY_DB_APP"), variables.get("LATCHKEY_DB_APP_PASSWORD"));
                Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    private static String log(String name) {
        try {
            Path file = workspace.resolve(name.contains(".") ? name : name + ".log");
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String recipient(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A browser on plain HTTP: it keeps every cookie, also those marked Secure (the JDK's cookie
     * handler would hold those back over http; TLS is the proxy's part in production), and sends
     * the CSRF token with each write.
     */
    private static final class Console {

        private final String baseUrl;
        private final HttpClient http = HttpClient.newHttpClient();
        private final Map<String, String> cookies = new LinkedHashMap<>();

        Console(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        HttpResponse<String> write(String method, String path, Object body) throws Exception {
            HttpResponse<String> csrf = send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/auth/csrf")).GET());
            JsonNode token = JSON.readTree(csrf.body());
            return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header(token.get("header_name").asString(), token.get("token").asString())
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        }

        private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            if (!cookies.isEmpty()) {
                request.header("Cookie", String.join("; ", cookies.entrySet().stream()
                        .map(cookie -> cookie.getKey() + "=" + cookie.getValue()).toList()));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                String pair = setCookie.split(";", 2)[0];
                int equals = pair.indexOf('=');
                cookies.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
            return response;
        }
    }
}
