package dev.latchkey.sessions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Runs on every instance: ends calls whose session cap is due (the registry makes sure exactly
 * one instance hangs each up) and, now and then, drops long-expired session tokens.
 */
@Component
class SessionCapScheduler implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SessionCapScheduler.class);
    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    private final CallRegistry registry;
    private final SessionTokens tokens;
    private final Clock clock;
    private Instant lastPurge = Instant.MIN;

    private final Duration checkInterval;

    SessionCapScheduler(CallRegistry registry, SessionTokens tokens, Clock clock, SessionsProperties settings) {
        this.checkInterval = settings.capCheckInterval();
        this.registry = registry;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(new FixedDelayTask(this::endDueCalls, checkInterval, checkInterval));
    }

    void endDueCalls() {
        try {
            int ended = registry.endDueCalls();
            if (ended > 0) {
                log.info("Ended {} call(s) at their session cap", ended);
            }
            Instant now = clock.instant();
            if (lastPurge.plus(PURGE_EVERY).isBefore(now)) {
                lastPurge = now;
                tokens.purge(now);
            }
        } catch (RuntimeException failure) {
            // The database may be briefly unreachable; the deadlines are persisted, the next run catches up.
            log.warn("Session cap check failed; retrying at the next run: {}", failure.toString());
        }
    }
}
