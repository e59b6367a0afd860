package dev.latchkey.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Where integration tests find PostgreSQL and Redis, in this order: services named by
 * environment variables ({@code LATCHKEY_TEST_POSTGRES_URL} / {@code _USER} / {@code _PASSWORD},
 * {@code LATCHKEY_TEST_REDIS_HOST} / {@code _PORT}); else containers when a Docker engine
 * answers; else the local services on 127.0.0.1. Each test run (JVM) gets a database of its
 * own, dropped by a later run, and a Redis key prefix of its own.
 */
public final class TestInfrastructure {

    private static final Logger log = LoggerFactory.getLogger(TestInfrastructure.class);
    private static volatile TestInfrastructure instance;

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final String redisHost;
    private final int redisPort;
    private final String redisKeyPrefix;
    private final Path home;

    private TestInfrastructure(String jdbcUrl, String username, String password, String redisHost, int redisPort,
            String runId) {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.redisHost = redisHost;
        this.redisPort = redisPort;
        this.redisKeyPrefix = "latchkey-test:" + runId + ":";
        try {
            this.home = Files.createTempDirectory("latchkey-test-home");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestInfrastructure get() {
        if (instance == null) {
            synchronized (TestInfrastructure.class) {
                if (instance == null) {
                    instance = start();
                }
            }
        }
        return instance;
    }

    /** Spring properties that point an application instance at this run's services. */
    public Map<String, String> properties() {
        return Map.of(
                "spring.datasource.url", jdbcUrl,
                "spring.datasource.username", username,
                "spring.datasource.password", password,
                "spring.data.redis.host", redisHost,
                "spring.data.redis.port", Integer.toString(redisPort),
                "latchkey.redis.key-prefix", redisKeyPrefix,
                "latchkey.home", home.toString());
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** This run's database URL with its host and port replaced, e.g. by a {@link TcpProxy}'s. */
    public String jdbcUrlVia(String host, int port) {
        return jdbcUrl.replaceFirst("//[^/]+/", "//" + host + ":" + port + "/");
    }

    /** The host and port of this run's PostgreSQL, from its URL. */
    public java.net.InetSocketAddress postgresAddress() {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("//([^/:]+)(?::([0-9]+))?/").matcher(jdbcUrl);
        if (!matcher.find()) {
            throw new IllegalStateException("Cannot read the host of " + jdbcUrl);
        }
        return java.net.InetSocketAddress.createUnresolved(matcher.group(1),
                matcher.group(2) == null ? 5432 : Integer.parseInt(matcher.group(2)));
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, username, password);
    }

    private static TestInfrastructure start() {
        String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        String serverUrl;
        String user;
        String password;
        String redisHost;
        int redisPort;
        boolean docker = System.getenv("LATCHKEY_TEST_POSTGRES_URL") == null && dockerAnswers();
        if (System.getenv("LATCHKEY_TEST_POSTGRES_URL") != null) {
            serverUrl = System.getenv("LATCHKEY_TEST_POSTGRES_URL");
            user = System.getenv().getOrDefault("LATCHKEY_TEST_POSTGRES_USER", "postgres");
            password = System.getenv().getOrDefault("LATCHKEY_TEST_POSTGRES_PASSWORD", "");
            log.info("Tests use PostgreSQL from LATCHKEY_TEST_POSTGRES_URL");
        } else if (docker) {
            PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:16-alpine");
            postgres.start();
            serverUrl = postgres.getJdbcUrl();
            user = postgres.getUsername();
            password = postgres.getPassword();
            log.info("Tests use a PostgreSQL container");
        } else {
            serverUrl = "jdbc:postgresql://127.0.0.1:5432/postgres";
            user = "postgres";
            password = "";
            log.info("No Docker engine answers: tests use the local PostgreSQL on 127.0.0.1:5432");
        }
        if (System.getenv("LATCHKEY_TEST_REDIS_HOST") != null) {
            redisHost = System.getenv("LATCHKEY_TEST_REDIS_HOST");
            redisPort = Integer.parseInt(System.getenv().getOrDefault("LATCHKEY_TEST_REDIS_PORT", "6379"));
        } else if (docker) {
            GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
            redis.start();
            redisHost = redis.getHost();
            redisPort = redis.getMappedPort(6379);
        } else {
            redisHost = "127.0.0.1";
            redisPort = 6379;
        }
        String database = "latchkey_test_" + runId.toLowerCase();
        dropDatabasesOfEarlierRuns(serverUrl, user, password);
        execute(serverUrl, user, password, "CREATE DATABASE " + database);
        String jdbcUrl = withDatabase(serverUrl, database);
        log.info("This test run's database is {}", database);
        return new TestInfrastructure(jdbcUrl, user, password, redisHost, redisPort, runId);
    }

    /**
     * Drops the databases that runs older than an hour left behind. Not at the end of a run:
     * a shutdown hook would race the application contexts that still hold connections.
     */
    private static void dropDatabasesOfEarlierRuns(String url, String user, String password) {
        LocalDateTime cutoff = LocalDateTime.now().minusHours(1);
        List<String> stale = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT datname FROM pg_database WHERE datname LIKE 'latchkey_test_%'")) {
            while (rs.next()) {
                String name = rs.getString(1);
                try {
                    LocalDateTime created = LocalDateTime.parse(name.substring("latchkey_test_".length(),
                            "latchkey_test_".length() + 14), DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
                    if (created.isBefore(cutoff)) {
                        stale.add(name);
                    }
                } catch (RuntimeException notOurs) {
                    // A database of another naming scheme: leave it alone.
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot list databases on the test PostgreSQL", e);
        }
        stale.forEach(name -> execute(url, user, password, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run '" + sql + "' on the test PostgreSQL", e);
        }
    }

    /** Replaces the database name of a JDBC URL, keeping its parameters. */
    static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        String parameters = query < 0 ? "" : url.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + parameters;
    }
}
