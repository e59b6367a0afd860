package dev.latchkey.runtime;

import static dev.latchkey.runtime.Sql.execute;
import static dev.latchkey.runtime.Sql.queryString;
import static dev.latchkey.runtime.Processes.awaitStopped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
    void refusesToTouchADirectoryThatIsNotAPostgresDataDirectory() throws IOException {
        Path data = Files.createDirectories(workspace.resolve("something-else"));
        Files.writeString(data.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> EmbeddedPostgresServer.start(data))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("neither empty nor a PostgreSQL data directory");
        assertThat(data.resolve("notes.txt")).hasContent("mine");
    }
}
