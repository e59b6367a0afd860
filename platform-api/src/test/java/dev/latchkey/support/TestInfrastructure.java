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
 *
 * <p>Like production, every run has two database roles of its own (PostgreSQL roles are
 * cluster-wide, so their names carry the run's id, and a later run drops them with the
 * database): the schema owner, which owns the database and runs the migrations, and the
 * application's role, which the application connects as. {@link #connect()} is the database
 * administrator's view, for tests that look behind the application's back.
 */
public final class TestInfrastructure {

    private static final Logger log = LoggerFactory.getLogger(TestInfrastructure.class);
    private static volatile TestInfrastructure instance;

    private static final String PREFIX = "latchkey_test_";

    private final String serverUrl;
    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final String runId;
    private final Role owner;
    private final Role application;
    private final String redisHost;
    private final int redisPort;
    private final String redisKeyPrefix;
    private final Path home;

    /** A database role of this run and its password. */
    public record Role(String name, String password) {
    }

    private TestInfrastructure(String serverUrl, String jdbcUrl, String username, String password, Role owner,
            Role application, String redisHost, int redisPort, String runId) {
        this.serverUrl = serverUrl;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.owner = owner;
        this.application = application;
        this.runId = runId;
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

    /**
     * Spring properties that point an application instance at this run's services: it connects
     * as the application's role and migrates as the owner.
     */
    public Map<String, String> properties() {
        return Map.of(
                "spring.datasource.url", jdbcUrl,
                "spring.datasource.username", application.name(),
                "spring.datasource.password", application.password(),
                "spring.flyway.user", owner.name(),
                "spring.flyway.password", owner.password(),
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

    /** This run's database as the administrator (a superuser, or a role that may create roles and databases). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, username, password);
    }

    /** This run's database as the application's role, the way the application connects. */
    public Connection connectAsApplication() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, application.name(), application.password());
    }

    public Role owner() {
        return owner;
    }

    public Role application() {
        return application;
    }

    public String redisHost() {
        return redisHost;
    }

    public int redisPort() {
        return redisPort;
    }

    /** A name for a role or database of this run's own, which a later run drops. */
    public String runScopedName(String suffix) {
        return PREFIX + runId.toLowerCase() + "_" + suffix;
    }

    /** The JDBC URL of {@code database} on this run's PostgreSQL server. */
    public String jdbcUrl(String database) {
        return withDatabase(serverUrl, database);
    }

    /** Runs {@code sql} as the administrator, connected to the server's maintenance database. */
    public void executeAsAdministrator(String sql) {
        execute(serverUrl, username, password, sql);
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
        String database = PREFIX + runId.toLowerCase();
        dropDatabasesAndRolesOfEarlierRuns(serverUrl, user, password);
        Role owner = new Role(database + "_owner", UUID.randomUUID().toString());
        Role application = new Role(database + "_app", UUID.randomUUID().toString());
        for (Role role : List.of(owner, application)) {
            execute(serverUrl, user, password, "CREATE ROLE " + role.name() + " LOGIN PASSWORD '" + role.password() + "'");
        }
        execute(serverUrl, user, password, "CREATE DATABASE " + database + " OWNER " + owner.name());
        String jdbcUrl = withDatabase(serverUrl, database);
        log.info("This test run's database is {}, owned by {}; the application connects as {}", database, owner.name(),
                application.name());
        return new TestInfrastructure(serverUrl, jdbcUrl, user, password, owner, application, redisHost, redisPort,
                runId);
    }

    /**
     * Drops the databases, then the roles, that runs older than an hour left behind. Not at the
     * end of a run: a shutdown hook would race the application contexts that still hold
     * connections.
     */
    private static void dropDatabasesAndRolesOfEarlierRuns(String url, String user, String password) {
        olderThanAnHour(url, user, password, "SELECT datname FROM pg_database WHERE datname LIKE 'latchkey_test_%'")
                .forEach(name -> execute(url, user, password, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
        for (String role : olderThanAnHour(url, user, password,
                "SELECT rolname FROM pg_roles WHERE rolname LIKE 'latchkey_test_%'")) {
            try {
                execute(url, user, password, "DROP ROLE IF EXISTS " + role);
            } catch (IllegalStateException stillInUse) {
                log.warn("Cannot drop the role {} of an earlier test run yet: {}", role, stillInUse.getCause().getMessage());
            }
        }
    }

    private static List<String> olderThanAnHour(String url, String user, String password, String query) {
        LocalDateTime cutoff = LocalDateTime.now().minusHours(1);
        List<String> stale = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(query)) {
            while (rs.next()) {
                String name = rs.getString(1);
                try {
                    LocalDateTime created = LocalDateTime.parse(name.substring(PREFIX.length(), PREFIX.length() + 14),
                            DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
                    if (created.isBefore(cutoff)) {
                        stale.add(name);
                    }
                } catch (RuntimeException notOurs) {
                    // Another naming scheme: leave it alone.
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot list databases and roles on the test PostgreSQL", e);
        }
        return stale;
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
