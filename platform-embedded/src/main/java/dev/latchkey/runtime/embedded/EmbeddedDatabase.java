package dev.latchkey.runtime.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's database and its two roles, as production has them: the schema owner,
 * which runs the migrations, and the application's role, which the migrations grant only what
 * the application needs (no UPDATE or DELETE of the ledger and audit rows). Both log in with
 * generated passwords kept beside the data directory ({@code <home>/postgres-owner.password},
 * {@code postgres-app.password}, mode 0600).
 *
 * <p>A database of an earlier version, where the superuser owned everything, is handed to the
 * owner role; the next migration then grants the application role its rights.
 */
public record EmbeddedDatabase(String jdbcUrl, String owner, String ownerPassword, String application,
        String applicationPassword) {

    public static final String OWNER = "latchkey_owner";
    public static final String APPLICATION = "latchkey_app";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    /**
     * Hands every object of the schema that the superuser owns to the owner role: tables (with
     * their indexes, triggers and identity sequences), views, free-standing sequences, functions
     * and types. Idempotent; a no-op on a database the owner role set up.
     */
    private static final String HAND_OBJECTS_TO_OWNER = """
            DO $hand_over$
            DECLARE
                target text := %s;
                object record;
            BEGIN
                FOR object IN
                    SELECT c.oid::regclass AS name, CASE c.relkind WHEN 'v' THEN 'VIEW'
                        WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE'
                        ELSE 'TABLE' END AS kind
                    FROM pg_class c
                    WHERE c.relnamespace = 'public'::regnamespace AND c.relowner = 'postgres'::regrole
                      AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                      AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d
                               WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
                LOOP
                    EXECUTE format('ALTER %%s %%s OWNER TO %%I', object.kind, object.name, target);
                END LOOP;
                FOR object IN
                    SELECT p.oid::regprocedure AS name FROM pg_proc p
                    WHERE p.pronamespace = 'public'::regnamespace AND p.proowner = 'postgres'::regrole
                LOOP
                    EXECUTE format('ALTER ROUTINE %%s OWNER TO %%I', object.name, target);
                END LOOP;
                FOR object IN
                    SELECT t.oid::regtype AS name FROM pg_type t
                    WHERE t.typnamespace = 'public'::regnamespace AND t.typowner = 'postgres'::regrole
                      AND t.typtype IN ('e', 'd', 'r', 'm')
                LOOP
                    EXECUTE format('ALTER TYPE %%s OWNER TO %%I', object.name, target);
                END LOOP;
            END
            $hand_over$""";

    /**
     * Creates (or updates) both roles and {@code database}, owned by the owner role; passwords
     * come from files under {@code home}.
     */
    public static EmbeddedDatabase prepare(EmbeddedPostgresServer server, String database, Path home) {
        String ownerPassword = new PasswordFile(home.resolve("postgres-owner.password")).readOrCreate().value();
        String applicationPassword = new PasswordFile(home.resolve("postgres-app.password")).readOrCreate().value();
        try {
            try (Connection connection = server.connectAsSuperuser("postgres")) {
                ensureRole(connection, OWNER, ownerPassword);
                ensureRole(connection, APPLICATION, applicationPassword);
                ensureDatabase(connection, database);
            }
            try (Connection connection = server.connectAsSuperuser(database);
                    Statement statement = connection.createStatement()) {
                statement.execute(HAND_OBJECTS_TO_OWNER.formatted(literal(OWNER)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot set up database " + database + " and its roles on the embedded"
                    + " PostgreSQL", e);
        }
        return new EmbeddedDatabase(server.jdbcUrl(database), OWNER, ownerPassword, APPLICATION, applicationPassword);
    }

    private static void ensureRole(Connection connection, String role, String password) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)) {
                statement.execute("CREATE ROLE " + role);
                log.info("Created the database role {}", role);
            }
            // Every start: the role's password is the one in its file, and it has no other powers.
            statement.execute("ALTER ROLE " + role + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
                    + " NOBYPASSRLS PASSWORD " + literal(password));
        }
    }

    private static void ensureDatabase(Connection connection, String database) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                statement.execute("CREATE DATABASE " + identifier(database) + " OWNER " + OWNER);
                log.info("Created database {}", database);
            } else if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ? AND datdba = '"
                    + OWNER + "'::regrole", database)) {
                statement.execute("ALTER DATABASE " + identifier(database) + " OWNER TO " + OWNER);
                log.warn("Database {} of an earlier version now belongs to {}, and the application connects as {}",
                        database, OWNER, APPLICATION);
            }
            statement.execute("REVOKE ALL ON DATABASE " + identifier(database) + " FROM PUBLIC");
            statement.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + identifier(database) + " TO " + APPLICATION);
        }
    }

    private static boolean exists(Connection connection, String query, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, parameter);
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        }
    }

    /** Generated passwords are base64 and role names constants; quoting still guards the SQL. */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String toString() {
        return "EmbeddedDatabase[" + jdbcUrl + ", owner=" + owner + ", application=" + application + "]";
    }
}
