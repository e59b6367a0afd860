package dev.latchkey.runtime.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short-lived command to completion and collects its combined output. */
final class ExternalCommand {

    record Result(List<String> command, int exitCode, String output) {

        boolean succeeded() {
            return exitCode == 0;
        }

        String describe() {
            return String.join(" ", command) + " exited with " + exitCode
                    + (output.isBlank() ? "" : ":\n" + output.strip());
        }
    }

    private ExternalCommand() {
    }

    /** @throws UncheckedIOException when the program cannot be started at all (e.g. not installed) */
    static Result run(List<String> command, Duration timeout) {
        return run(command, timeout, null);
    }

    /**
     * Like {@link #run(List, Duration)}, with {@code input} on the program's standard input (a
     * pipe, so that nothing of it shows in a command line or a file).
     */
    static Result run(List<String> command, Duration timeout, String input) {
        Path output = null;
        try {
            // A file rather than a pipe: pg_ctl's detached server could otherwise keep a pipe open.
            output = Files.createTempFile("latchkey-command-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(input == null ? ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())
                            : ProcessBuilder.Redirect.PIPE);
            // A developer's own PGDATA, PGPORT, ... must not steer the embedded server's tools.
            builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
            Process process = builder.start();
            if (input != null) {
                try (OutputStream stdin = process.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                        + ":\n" + read(output));
            }
            return new Result(command, process.exitValue(), read(output));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(output);
        }
    }

    private static String read(Path file) throws IOException {
        // Lenient decoding: a tool's message in some legacy locale must not hide its exit code.
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Only a temporary log; the OS cleans the temp directory eventually.
        }
    }
}
