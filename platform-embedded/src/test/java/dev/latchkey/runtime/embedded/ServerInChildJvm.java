package dev.latchkey.runtime.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a server in a JVM of its own, so a test can kill that JVM the way a crash or
 * {@code kill -9} would. Arguments: data directory, file to write the postmaster's pid to.
 */
public final class ServerInChildJvm {

    private ServerInChildJvm() {
    }

    public static void main(String[] arguments) throws Exception {
        Path data = Path.of(arguments[0]);
        Path ready = Path.of(arguments[1]);
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data);
        Sql.execute(server, "postgres", "CREATE TABLE IF NOT EXISTS witness (id int)", "INSERT INTO witness VALUES (7)");
        Path written = Files.writeString(Files.createTempFile(ready.getParent(), "ready", ".tmp"),
                String.valueOf(server.postmaster().pid()));
        Files.move(written, ready, StandardCopyOption.ATOMIC_MOVE);
        new CountDownLatch(1).await(); // until killed
    }
}
