package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.latchkey.LatchkeyApplication;
import dev.latchkey.support.Reliability;

/**
 * The embedded default cannot keep its data where {@code LATCHKEY_HOME} points (a folder that
 * cannot be created or written, as on a read-only or full disk): it refuses to start, at once,
 * with an error that names the folder and says what to do, instead of a stack of bean errors.
 * (The tests run as root, whom file modes do not stop: the folder is made impossible by putting
 * it under a regular file.)
 */
@ExtendWith(OutputCaptureExtension.class)
class UnwritableHomeIT {

    @TempDir
    Path workspace;

    @Test
    void givenAHomeThatCannotBeWritten_whenStartingTheEmbeddedDefault_thenAClearStartUpError(CapturedOutput output)
            throws IOException {
        Path file = Files.writeString(workspace.resolve("not-a-folder"), "a file, not a folder");
        Path home = file.resolve("home");
        Reliability.faultInjected();

        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(LatchkeyApplication.class)
                .run("--latchkey.home=" + home, "--server.port=0").close());

        assertThat(failure).as("the start-up fails").isNotNull();
        assertThat(output.getAll()).contains("LATCHKEY_HOME").contains(home.toString())
                .containsIgnoringCase("not writable").contains("Action:");
        Reliability.faultSurvived();
    }
}
