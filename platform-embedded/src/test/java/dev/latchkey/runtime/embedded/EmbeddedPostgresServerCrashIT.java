package dev.latchkey.runtime.embedded;

import static dev.latchkey.runtime.embedded.Processes.awaitStopped;
import static dev.latchkey.runtime.embedded.Sql.queryString;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens to the server when the JVM that started it is killed without closing it. */
class EmbeddedPostgresServerCrashIT {

    @TempDir
    static Path workspace;

    @BeforeAll
    static void makeWorkspaceEnterable() throws IOException {
        Files.setPosixFilePermissions(workspace, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void theServerStopsWhenItsJvmIsKilled() throws Exception {
        Path data = workspace.resolve("jvm-killed");
        ChildJvm child = ChildJvm.start(data);

        child.process().destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
        child.process().waitFor(30, SECONDS);
        awaitStopped(child.postmaster(), Duration.ofSeconds(60)); // the watchdog stopped it
        assertThat(data.resolve("postmaster.pid")).as("removed by a clean shutdown").doesNotExist();

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data)) {
            assertThat(queryString(server, "postgres", "SELECT id FROM witness")).isEqualTo("7");
        }
    }

    @Test
    void theNextStartStopsAServerThatOutlivedItsJvmAndWatchdog() throws Exception {
        Path data = workspace.resolve("orphaned");
        ChildJvm child = ChildJvm.start(data);

        List<ProcessHandle> watchdogs = child.process().descendants().toList();
        assertThat(watchdogs).isNotEmpty();
        watchdogs.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle watchdog : watchdogs) {
            awaitStopped(watchdog, Duration.ofSeconds(30));
        }
        child.process().destroyForcibly();
        child.process().waitFor(30, SECONDS);
        assertThat(EmbeddedPostgresServer.isRunning(child.postmaster())).as("orphaned server").isTrue();

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data)) {
            assertThat(EmbeddedPostgresServer.isRunning(child.postmaster())).isFalse();
            assertThat(queryString(server, "postgres", "SELECT id FROM witness")).isEqualTo("7");
        }
    }

    private record ChildJvm(Process process, ProcessHandle postmaster) {

        static ChildJvm start(Path data) throws Exception {
            Path ready = workspace.resolve(data.getFileName() + ".ready");
            String java = ProcessHandle.current().info().command().orElseThrow();
            Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ServerInChildJvm.class.getName(), data.toString(), ready.toString())
                    // Not inherited: Surefire talks to this JVM over its stdout.
                    .redirectErrorStream(true)
                    .redirectOutput(workspace.resolve(data.getFileName() + ".log").toFile())
                    .start();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (!Files.exists(ready)) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    process.destroyForcibly();
                    throw new AssertionError("The child JVM did not start a server:\n"
                            + Files.readString(workspace.resolve(data.getFileName() + ".log")));
                }
                Thread.sleep(100);
            }
            long pid = Long.parseLong(Files.readString(ready).strip());
            return new ChildJvm(process, ProcessHandle.of(pid).orElseThrow());
        }
    }
}
