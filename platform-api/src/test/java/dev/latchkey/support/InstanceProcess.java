package dev.latchkey.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

import dev.latchkey.LatchkeyApplication;

/**
 * An application instance in a JVM of its own, started from the test classpath with the tests'
 * properties (as {@link SecondInstance} is, in-process) on a free port: for faults no in-process
 * instance can have, such as being killed with SIGKILL in the middle of its work.
 */
public final class InstanceProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private InstanceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the instance and waits (up to three minutes, the machine is shared) until it is ready. */
    public static InstanceProcess start(Map<String, String> overrides) {
        try {
            int port = freePort();
            Map<String, String> properties = new LinkedHashMap<>(IntegrationTest.applicationProperties());
            properties.putAll(overrides);
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                    "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    LatchkeyApplication.class.getName(), "--server.port=" + port));
            properties.forEach((name, value) -> command.add("--" + name + "=" + value));
            Path log = Files.createTempFile("latchkey-instance-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            InstanceProcess instance = new InstanceProcess(process, port, log);
            ApiClient probe = instance.client();
            Awaitility.await("the instance's readiness").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("The instance exited with " + process.exitValue() + ": "
                                    + Files.readString(log));
                        }
                        try {
                            return probe.get("/actuator/health/readiness").status() == 200;
                        } catch (UncheckedIOException notYet) {
                            return false;
                        }
                    });
            return instance;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ApiClient client() {
        return new ApiClient("http://127.0.0.1:" + port);
    }

    /** SIGKILL: no shutdown hook, no graceful close, no flush; as an OOM killer or a lost node does it. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
