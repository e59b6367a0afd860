package dev.latchkey.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints {@link Reliability#summary()} at the end of a test run (registered through
 * META-INF/services for the JUnit launcher, so it sees every test of the run, whatever its engine).
 * When the build sets {@code latchkey.reliability.report} (failsafe does), it also writes the line
 * to that file and, if a must-be-zero count is not, a {@code .broken} file beside it, which the
 * build's enforcer rule refuses: the build fails even if no assertion did.
 */
public final class ReliabilitySummary implements LauncherSessionListener, TestExecutionListener {

    static final String REPORT_PROPERTY = "latchkey.reliability.report";

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        report().ifPresent(file -> {
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(broken(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (test.isTest() && result.getStatus() == TestExecutionResult.Status.FAILED) {
            Reliability.add(Reliability.Count.FAILURES, 1);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        String summary = Reliability.summary();
        if (report().isEmpty() && !Reliability.counted()) {
            return; // a unit test run (surefire): nothing of reliability to say
        }
        System.out.println(summary);
        report().ifPresent(file -> {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, summary + System.lineSeparator());
                if (Reliability.broken()) {
                    Files.writeString(broken(file), summary + System.lineSeparator());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static java.util.Optional<Path> report() {
        return java.util.Optional.ofNullable(System.getProperty(REPORT_PROPERTY)).map(Path::of);
    }

    private static Path broken(Path report) {
        return report.resolveSibling(report.getFileName() + ".broken");
    }
}
