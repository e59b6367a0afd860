package dev.latchkey.audit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Verifies the hash chain on a schedule ({@code latchkey.audit.verify-interval}, 1 hour by
 * default: the rows linked since the last run, from the position it verified last, in one short
 * snapshot) and whenever a platform admin asks (the whole chain). A broken chain sets the gauge
 * {@code latchkey.audit.chain.broken} to 1 and logs an ERROR naming the row; the next intact
 * verification sets it back to 0.
 */
@Component
class AuditChainMonitor implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(AuditChainMonitor.class);

    private final ChainVerifier verifier;
    private volatile ChainWalk.Anchor verifiedUpTo = ChainWalk.Anchor.GENESIS;
    private final AtomicInteger broken = new AtomicInteger();
    private final AtomicLong rowsChecked = new AtomicLong();
    private final Counter intactRuns;
    private final Counter brokenRuns;

    private final AuditProperties settings;

    AuditChainMonitor(ChainVerifier verifier, MeterRegistry meters, AuditProperties settings) {
        this.verifier = verifier;
        this.settings = settings;
        Gauge.builder("latchkey.audit.chain.broken", broken, AtomicInteger::get)
                .description("1 when the last verification of the audit hash chain found a broken row, else 0")
                .register(meters);
        Gauge.builder("latchkey.audit.chain.rows.checked", rowsChecked, AtomicLong::get)
                .description("Rows the last verification of the audit hash chain checked")
                .register(meters);
        this.intactRuns = Counter.builder("latchkey.audit.chain.verifications").tag("result", "intact")
                .description("Verifications of the audit hash chain").register(meters);
        this.brokenRuns = Counter.builder("latchkey.audit.chain.verifications").tag("result", "broken")
                .description("Verifications of the audit hash chain").register(meters);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        // Not at start-up: a rolling restart would have every instance walk the chain at once.
        Runnable task = new Runnable() {
            @Override
            public void run() {
                verifyOnSchedule();
            }

            /** As @Scheduled names a task (e.g. in Actuator's scheduledtasks): the class and the method. */
            @Override
            public String toString() {
                return AuditChainMonitor.class.getName() + ".verifyOnSchedule";
            }
        };
        registrar.addFixedDelayTask(new FixedDelayTask(task, settings.verifyInterval(), Duration.ofMinutes(5)));
    }

    void verifyOnSchedule() {
        ChainVerifier.Progress progress = verifier.verifyFrom(verifiedUpTo);
        verifiedUpTo = progress.position();
        report(progress.verdict());
    }

    /** The whole chain, for a platform admin. */
    ChainVerification verifyAndReport() {
        return report(verifier.verifyAll());
    }

    private ChainVerification report(ChainVerification verification) {
        rowsChecked.set(verification.rowsChecked());
        if (verification.intact()) {
            broken.set(0);
            intactRuns.increment();
            log.info("Audit chain intact: {} rows checked from seq {}", verification.rowsChecked(),
                    verification.anchorSeq());
        } else {
            broken.set(1);
            brokenRuns.increment();
            log.error("AUDIT CHAIN BROKEN at seq {} (id {}): {}; {} rows checked from seq {}",
                    verification.firstBrokenSeq(), verification.firstBrokenId(), verification.reason(),
                    verification.rowsChecked(), verification.anchorSeq());
        }
        return verification;
    }
}
