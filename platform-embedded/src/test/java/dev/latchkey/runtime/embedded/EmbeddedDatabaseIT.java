package dev.latchkey.runtime.embedded;

import static dev.latchkey.runtime.embedded.Sql.queryString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default's database has production's two roles, each with a generated password. */
class EmbeddedDatabaseIT {

    @TempDir
    static Path workspace;

    @BeforeAll
    static void makeWorkspaceEnterable() throws IOException {
        Files.setPosixFilePermissions(workspace, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void givenANewHome_whenPrepared_thenTheOwnerOwnsTheDatabaseAndBothRolesSignInWithTheirOwnPasswords()
            throws Exception {
        Path home = Files.createDirectories(workspace.resolve("fresh"));
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(home.resolve("postgres"))) {
            EmbeddedDatabase database = EmbeddedDatabase.prepare(server, "latchkey", home);

            assertThat(database.owner()).isEqualTo("latchkey_owner");
            assertThat(database.application()).isEqualTo("latchkey_app");
            assertThat(queryString(server, "postgres",
                    "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'latchkey'"))
                    .isEqualTo("latchkey_owner");
            assertThat(queryString(server, "postgres", "SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles"
                    + " WHERE rolname LIKE 'latchkey%' AND NOT (rolsuper OR rolcreatedb OR rolcreaterole)"))
                    .isEqualTo("latchkey_app,latchkey_owner");
            for (String file : new String[] {"postgres-owner.password", "postgres-app.password"}) {
                assertThat(Files.getPosixFilePermissions(home.resolve(file)))
                        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            }
            assertThat(Files.readString(home.resolve("postgres-app.password")).strip())
                    .isEqualTo(database.applicationPassword());
            try (Connection application = DriverManager.getConnection(database.jdbcUrl(), database.application(),
                    database.applicationPassword()); Statement statement = application.createStatement()) {
                assertThatThrownBy(() -> statement.execute("CREATE TABLE mine (id int)"))
                        .as("the application role creates nothing").isInstanceOf(SQLException.class);
            }
            assertThatThrownBy(() -> DriverManager.getConnection(database.jdbcUrl(), database.application(), "guess"))
                    .isInstanceOf(SQLException.class);
            try (Connection owner = DriverManager.getConnection(database.jdbcUrl(), database.owner(),
                    database.ownerPassword()); Statement statement = owner.createStatement()) {
                statement.execute("CREATE TABLE owned (id int)");
            }

            EmbeddedDatabase again = EmbeddedDatabase.prepare(server, "latchkey", home);
            assertThat(again.ownerPassword()).as("kept across starts").isEqualTo(database.ownerPassword());
        }
    }

    @Test
    void givenTheDatabaseOfAnEarlierVersionOwnedByTheSuperuser_whenPrepared_thenTheOwnerRoleOwnsEverythingInIt()
            throws Exception {
        Path home = Files.createDirectories(workspace.resolve("earlier"));
        Path data = home.resolve("postgres");
        LegacyDataDirectory.create(data, "CREATE DATABASE latchkey");
        LegacyDataDirectory.run(data, "latchkey",
                "CREATE TABLE ledger (seq bigint GENERATED ALWAYS AS IDENTITY, note text)",
                "CREATE SEQUENCE free_standing",
                "CREATE VIEW ledger_notes AS SELECT note FROM ledger",
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no'; END $$",
                "CREATE TRIGGER ledger_refuse BEFORE UPDATE ON ledger FOR EACH ROW EXECUTE FUNCTION refuse()",
                "INSERT INTO ledger (note) VALUES ('from before')");

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data)) {
            EmbeddedDatabase.prepare(server, "latchkey", home);

            assertThat(queryString(server, "latchkey", "SELECT string_agg(DISTINCT pg_get_userbyid(relowner), ',')"
                    + " FROM pg_class WHERE relnamespace = 'public'::regnamespace")).isEqualTo("latchkey_owner");
            assertThat(queryString(server, "latchkey", "SELECT pg_get_userbyid(proowner) FROM pg_proc"
                    + " WHERE proname = 'refuse'")).isEqualTo("latchkey_owner");
            assertThat(queryString(server, "postgres", "SELECT pg_get_userbyid(datdba) FROM pg_database"
                    + " WHERE datname = 'latchkey'")).isEqualTo("latchkey_owner");
            assertThat(queryString(server, "latchkey", "SELECT note FROM ledger")).isEqualTo("from before");
            try (Connection owner = DriverManager.getConnection(server.jdbcUrl("latchkey"), "latchkey_owner",
                    Files.readString(home.resolve("postgres-owner.password")).strip());
                    Statement statement = owner.createStatement()) {
                statement.execute("INSERT INTO ledger (note) VALUES ('by the owner')");
                try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM ledger_notes")) {
                    rows.next();
                    assertThat(rows.getInt(1)).isEqualTo(2);
                }
            }
        }
    }
}
