package dev.latchkey.runtime.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A data directory as earlier versions of Latchkey left it: initialised with {@code --auth=trust},
 * a superuser without a password, objects owned by that superuser. Written in single-user mode, so
 * that no server ever listens while the test prepares it.
 */
final class LegacyDataDirectory {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private LegacyDataDirectory() {
    }

    /** Initialises {@code data} as earlier versions did and runs {@code sql} in database postgres. */
    static void create(Path data, String... sql) throws Exception {
        PostgresBinaries binaries = PostgresBinaries.unpackInto(data.resolveSibling("postgres-binaries"));
        PostgresAccount account = PostgresAccount.choose(PostgresAccount::rootAlternatives,
                binaries.executable("postgres"), data.getParent());
        Files.createDirectories(data);
        account.takeOwnership(data);
        ExternalCommand.Result initdb = ExternalCommand.run(account.command(binaries.executable("initdb"),
                "--pgdata=" + data, "--username=postgres", "--auth=trust", "--encoding=UTF8", "--no-locale",
                "--no-instructions"), TIMEOUT);
        if (!initdb.succeeded()) {
            throw new IllegalStateException(initdb.describe());
        }
        run(data, "postgres", sql);
    }

    /** Runs statements in single-user mode, one per line, as the superuser. */
    static void run(Path data, String database, String... sql) {
        PostgresBinaries binaries = PostgresBinaries.unpackInto(data.resolveSibling("postgres-binaries"));
        PostgresAccount account = PostgresAccount.choose(PostgresAccount::rootAlternatives,
                binaries.executable("postgres"), data.getParent());
        ExternalCommand.Result single = ExternalCommand.run(account.command(binaries.executable("postgres"),
                "--single", "-D", data.toString(), database), TIMEOUT,
                String.join("\n", List.of(sql).stream().map(statement -> statement.replace('\n', ' ')).toList()) + "\n");
        if (!single.succeeded() || single.output().contains("ERROR")) {
            throw new IllegalStateException(single.describe());
        }
    }
}
