package dev.latchkey.runtime.embedded;

import java.time.Duration;
import java.time.Instant;

final class Processes {

    private Processes() {
    }

    /** Until the process has exited; whether init has reaped it yet does not matter. */
    static void awaitStopped(ProcessHandle process, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (EmbeddedPostgresServer.isRunning(process)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("pid " + process.pid() + " still runs after " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
