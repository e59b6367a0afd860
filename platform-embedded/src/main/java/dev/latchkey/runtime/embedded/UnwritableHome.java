package dev.latchkey.runtime.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * The embedded default's folder ({@code LATCHKEY_HOME}) cannot be written: a read-only or full disk,
 * a path through a file, no permission. Checked before anything is put there, and reported by
 * {@link Analyzer} as one clear start-up error instead of a stack of bean errors.
 */
final class UnwritableHome extends IllegalStateException {

    private final transient Path home;

    private UnwritableHome(Path home, IOException cause) {
        super("LATCHKEY_HOME (latchkey.home) is not writable: " + home + " (" + cause + ")", cause);
        this.home = home;
    }

    /** Creates the folder if needed and writes (and removes) a file in it, or throws {@link UnwritableHome}. */
    static void check(Path home) {
        try {
            Files.createDirectories(home);
            Path probe = Files.createTempFile(home, ".write-check", ".tmp");
            try {
                Files.writeString(probe, "latchkey"); // a full disk refuses the bytes, not always the file
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException e) {
            throw new UnwritableHome(home, e);
        }
    }

    static final class Analyzer extends AbstractFailureAnalyzer<UnwritableHome> {

        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, UnwritableHome cause) {
            return new FailureAnalysis(cause.getMessage() + ". The embedded default keeps its PostgreSQL data and"
                    + " generated secrets there.", "Point LATCHKEY_HOME at a folder this user may create and write,"
                    + " on a disk with free space (" + cause.home + " is not one), or run with an external"
                    + " PostgreSQL (SPRING_DATASOURCE_URL).", cause);
        }
    }
}
