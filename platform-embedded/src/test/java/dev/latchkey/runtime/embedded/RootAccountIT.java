package dev.latchkey.runtime.embedded;

import static dev.latchkey.runtime.embedded.Sql.execute;
import static dev.latchkey.runtime.embedded.Sql.queryString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** How a JVM running as root gets PostgreSQL, which refuses root, to run anyway. */
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class RootAccountIT {

    @TempDir
    static Path workspace;

    @BeforeAll
    static void makeWorkspaceEnterable() throws IOException {
        Files.setPosixFilePermissions(workspace, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void runsTheServerAsAnUnprivilegedAccount() throws Exception {
        Path data = workspace.resolve("nobody");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0, () -> List.of(nobody()))) {
            assertThat(server.postmaster().info().user()).contains("nobody");
            assertThat(Files.getOwner(data).getName()).isEqualTo("nobody");
            assertThat(queryString(server, "postgres", "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void fallsBackToAUserNamespaceWhereTheUnprivilegedAccountCannotEnter() throws Exception {
        Path data = privateDirectory("root-only").resolve("postgres");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data)) {
            assertThat(Files.getOwner(data).getName()).isEqualTo("root");
            assertThat(queryString(server, "postgres", "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void explainsWhatToDoWhenNoAccountCanEnterTheDataDirectory() throws Exception {
        Path data = privateDirectory("unreachable").resolve("postgres");
        assertThatThrownBy(() -> EmbeddedPostgresServer.start(data, 0, () -> List.of(nobody())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refuses to run as root")
                .hasMessageContaining("chmod o+x");
    }

    @Test
    void keepsTheDataWhenTheAccountChanges() throws Exception {
        Path data = workspace.resolve("switching");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0, () -> List.of(nobody()))) {
            execute(server, "postgres", "CREATE TABLE kept (id int)", "INSERT INTO kept VALUES (1)");
        }
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0,
                () -> List.of(PostgresAccount.userNamespace()))) {
            assertThat(Files.getOwner(data).getName()).isEqualTo("root");
            assertThat(queryString(server, "postgres", "SELECT id FROM kept")).isEqualTo("1");
        }
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0, () -> List.of(nobody()))) {
            assertThat(Files.getOwner(data.resolve("base")).getName()).isEqualTo("nobody");
            assertThat(queryString(server, "postgres", "SELECT id FROM kept")).isEqualTo("1");
        }
    }

    private static PostgresAccount nobody() {
        return PostgresAccount.unprivileged("nobody").orElseThrow();
    }

    private static Path privateDirectory(String name) throws IOException {
        Path directory = Files.createDirectories(workspace.resolve(name));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        return directory;
    }
}
