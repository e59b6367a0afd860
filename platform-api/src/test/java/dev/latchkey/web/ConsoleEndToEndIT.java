package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.IntegrationTest;

/**
 * The console end to end: platform-web's Playwright tests ({@code platform-web/e2e}) drive Debian's
 * headless Chromium against this application, which runs on the tests' real PostgreSQL and Redis
 * with the bootstrapped platform admin. Sign-up to revocation, a viewer's limits, a platform
 * admin's suspension, axe-core on every screen, the strict CSP, 375 px. Screenshots and the
 * Playwright report go to {@code target/console-e2e/}.
 */
class ConsoleEndToEndIT extends IntegrationTest {

    private static final Path CONSOLE = Path.of("..", "platform-web").toAbsolutePath().normalize();
    private static final Path OUTPUT = Path.of("target", "console-e2e").toAbsolutePath();
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("LATCHKEY_E2E_CHROMIUM", "/usr/bin/chromium"));

    @Test
    void givenTheRunningPlatform_whenTheConsoleIsUsedInHeadlessChromium_thenEveryScenarioPasses() throws Exception {
        // -Dskip.web.build leaves no console (and no node_modules) to test.
        assumeTrue(getClass().getResource("/static/index.html") != null, "the console was not built");
        assertThat(CONSOLE.resolve("node_modules/@playwright/test"))
                .as("platform-web's npm ci must have run (the console build does it)").exists();
        assertThat(CHROMIUM)
                .as("Chromium drives the console tests: apt-get install -y chromium (.ci/run does it)").exists();

        Files.createDirectories(OUTPUT);
        Path log = OUTPUT.resolve("playwright.log");
        ProcessBuilder playwright = new ProcessBuilder(List.of("node", "node_modules/@playwright/test/cli.js", "test"))
                .directory(CONSOLE.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = playwright.environment();
        environment.put("LATCHKEY_E2E_BASE_URL", "http://127.0.0.1:" + port);
        environment.put("LATCHKEY_E2E_ADMIN_EMAIL", PLATFORM_ADMIN_EMAIL);
        environment.put("LATCHKEY_E2E_ADMIN_PASSWORD", PLATFORM_ADMIN_PASSWORD);
        environment.put("LATCHKEY_E2E_OUTPUT", OUTPUT.toString());
        environment.put("LATCHKEY_E2E_CHROMIUM", CHROMIUM.toString());
        environment.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        environment.put("CI", "true");

        Process process = playwright.start();
        boolean finished = process.waitFor(6, TimeUnit.MINUTES);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        // Into the build log too, so that CI shows which scenario did what.
        System.out.println(output);

        assertThat(finished).as("the console tests finished within 6 minutes:%n%s", output).isTrue();
        assertThat(process.exitValue()).as("the console tests passed (report: %s):%n%s", OUTPUT, output).isZero();
    }
}
