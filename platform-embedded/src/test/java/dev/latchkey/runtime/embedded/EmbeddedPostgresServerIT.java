package dev.latchkey.runtime.embedded;

import static dev.latchkey.runtime.embedded.Sql.execute;
import static dev.latchkey.runtime.embedded.Sql.queryString;
import static dev.latchkey.runtime.embedded.Processes.awaitStopped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerIT {

    /** Shared by the class, so the binaries beside the data directories are unpacked once. */
    @TempDir
    static Path workspace;

    @BeforeAll
    static void makeWorkspaceEnterable() throws IOException {
        // @TempDir is 0700; a project checkout is normally enterable by the unprivileged account
        // the server runs as when the tests run as root.
        Files.setPosixFilePermissions(workspace, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void keepsDataAcrossRestarts() throws Exception {
        Path data = workspace.resolve("restarts");
        EmbeddedPostgresServer first = EmbeddedPostgresServer.start(data);
        try (first) {
            assertThat(first.jdbcUrl("latchkey")).isEqualTo("jdbc:postgresql://localhost:" + first.port() + "/latchkey");
            assertThat(first.username()).isEqualTo("postgres");
            first.ensureDatabase("latchkey");
            execute(first, "latchkey", "CREATE TABLE note (id int PRIMARY KEY, body text NOT NULL)",
                    "INSERT INTO note VALUES (1, 'kept')");
        }
        first.close(); // a second close does nothing
        // The postmaster exits at once; init may reap it a moment later on a busy machine.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> !EmbeddedPostgresServer.isRunning(first.postmaster()));

        try (EmbeddedPostgresServer second = EmbeddedPostgresServer.start(data)) {
            assertThat(queryString(second, "latchkey", "SELECT body FROM note WHERE id = 1")).isEqualTo("kept");
        }
    }

    @Test
    void ensureDatabaseIsIdempotent() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(workspace.resolve("databases"))) {
            assertThat(server.ensureDatabase("latchkey")).isTrue();
            assertThat(server.ensureDatabase("latchkey")).isFalse();
            assertThat(queryString(server, "latchkey", "SELECT current_database()")).isEqualTo("latchkey");
        }
    }

    @Test
    void startsAgainAfterThePostmasterWasKilled() throws Exception {
        Path data = workspace.resolve("killed");
        EmbeddedPostgresServer crashed = EmbeddedPostgresServer.start(data);
        execute(crashed, "postgres", "CREATE TABLE survivor (id int)", "INSERT INTO survivor VALUES (42)");
        ProcessHandle postmaster = crashed.postmaster();

        assertThat(postmaster.destroyForcibly()).isTrue(); // SIGKILL
        awaitStopped(postmaster, Duration.ofSeconds(30));
        assertThat(data.resolve("postmaster.pid")).as("left behind by the crash").exists();
        crashed.close(); // notices the server is gone and releases the data directory

        try (EmbeddedPostgresServer restarted = EmbeddedPostgresServer.start(data)) {
            assertThat(restarted.postmaster().pid()).isNotEqualTo(postmaster.pid());
            assertThat(queryString(restarted, "postgres", "SELECT id FROM survivor")).isEqualTo("42");
        }
    }

    @Test
    void listensOnTheRequestedPort() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(workspace.resolve("port"), port)) {
            assertThat(server.port()).isEqualTo(port);
            assertThat(queryString(server, "postgres", "SHOW port")).isEqualTo(String.valueOf(port));
        }
    }

    @Test
    void refusesADataDirectoryThatIsAlreadyInUse() {
        Path data = workspace.resolve("in-use");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data)) {
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(data))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already running PostgreSQL on " + data);
            assertThat(server.postmaster().isAlive()).isTrue();
        }
    }

    @Test
    void asksEveryConnectionForThePasswordKeptInAPrivateFile() throws Exception {
        Path data = workspace.resolve("password");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data)) {
            Path passwordFile = EmbeddedPostgresServer.passwordFile(data);
            assertThat(passwordFile).isEqualTo(workspace.resolve("password-superuser.password"));
            assertThat(Files.getPosixFilePermissions(passwordFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(passwordFile).strip()).isEqualTo(server.password()).hasSizeGreaterThan(40);

            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", ""))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "guess"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            assertThat(queryString(server, "postgres",
                    "SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules")).isEqualTo("scram-sha-256");
            assertThat(queryString(server, "postgres",
                    "SELECT string_agg(DISTINCT address, ',' ORDER BY address) FROM pg_hba_file_rules"))
                    .isEqualTo("127.0.0.1,::1");
            assertThat(queryString(server, "postgres", "SHOW listen_addresses")).isEqualTo("localhost");
            assertThat(queryString(server, "postgres", "SHOW unix_socket_directories")).isEmpty();
        }
    }

    @Test
    void securesADataDirectoryOfAnEarlierVersionThatTrustedEveryLocalConnection() throws Exception {
        Path data = workspace.resolve("trusting");
        LegacyDataDirectory.create(data, "CREATE TABLE kept (note text)", "INSERT INTO kept VALUES ('from before')");
        assertThat(Files.readString(data.resolve("pg_hba.conf"))).contains("trust");

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data)) {
            assertThat(Files.readString(data.resolve("pg_hba.conf"))).doesNotContain("trust");
            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", ""))
                    .isInstanceOf(SQLException.class);
            assertThat(queryString(server, "postgres", "SELECT note FROM kept")).isEqualTo("from before");
        }
        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(data)) {
            assertThat(queryString(again, "postgres", "SELECT note FROM kept")).isEqualTo("from before");
        }
    }

    @Test
    void explainsWhatToDoWhenThePasswordFileDoesNotMatch_andSetsANewPasswordOnceItIsDeleted() throws Exception {
        Path data = workspace.resolve("wrong-password");
        String first;
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data)) {
            first = server.password();
        }
        Files.writeString(EmbeddedPostgresServer.passwordFile(data), "c29tZW9uZSBlbHNlJ3MgcGFzc3dvcmQ=\n");

        assertThatThrownBy(() -> EmbeddedPostgresServer.start(data))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not the superuser's password")
                .hasMessageContaining("delete it and start again");
        try (EmbeddedPostgresServer stillUsable = startAfterDeletingThePasswordFile(data)) {
            assertThat(stillUsable.password()).isNotEqualTo(first);
            assertThat(queryString(stillUsable, "postgres", "SELECT 1")).isEqualTo("1");
        }
    }

    private static EmbeddedPostgresServer startAfterDeletingThePasswordFile(Path data) throws IOException {
        Files.delete(EmbeddedPostgresServer.passwordFile(data));
        return EmbeddedPostgresServer.start(data);
    }

    @Test
    void refusesToTouchADirectoryThatIsNotAPostgresDataDirectory() throws IOException {
        Path data = Files.createDirectories(workspace.resolve("something-else"));
        Files.writeString(data.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> EmbeddedPostgresServer.start(data))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("neither empty nor a PostgreSQL data directory");
        assertThat(data.resolve("notes.txt")).hasContent("mine");
    }
}
