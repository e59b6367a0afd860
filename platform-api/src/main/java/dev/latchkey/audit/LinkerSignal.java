package dev.latchkey.audit;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Wakes the audit linker on this instance when an event of this instance is pending. */
@Component
class LinkerSignal {

    private final Semaphore nudges = new Semaphore(0);

    /** After the current transaction commits (at once without one). */
    void nudgeAfterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            nudges.release();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                nudges.release();
            }
        });
    }

    /** Wakes the linker now (on shutdown). */
    void wake() {
        nudges.release();
    }

    /** Waits for a nudge or {@code timeout}, whichever comes first. */
    void await(Duration timeout) throws InterruptedException {
        nudges.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
        nudges.drainPermits();
    }
}
