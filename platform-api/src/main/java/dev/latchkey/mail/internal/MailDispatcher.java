package dev.latchkey.mail.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.latchkey.mail.Mail;
import dev.latchkey.mail.MailComposer;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends the outbox. Every instance polls; each due row is taken with {@code FOR UPDATE SKIP LOCKED}
 * in a transaction that composes the mail (making its link token), hands it to the transport and
 * marks it sent, so exactly one instance sends it and a link exists only if its mail went out. A
 * failure rolls that back and schedules the next attempt after a doubling delay
 * ({@code latchkey.mail.retry.*}), until {@code max-attempts}, then marks the row failed. The
 * recorded error is coarse (the exception's type), never a message that could hold an address.
 */
@Component
class MailDispatcher implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(MailDispatcher.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int BATCH = 20;

    private record Due(UUID id, String kind, String recipient, Map<String, String> payload, int attempts) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Map<String, MailComposer> composers;
    private final MailTransport transport;
    private final Clock clock;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final int maxAttempts;
    private final Duration pollInterval;

    MailDispatcher(JdbcClient jdbc, PlatformTransactionManager transactionManager, List<MailComposer> composers,
            MailTransport transport, Clock clock, LatchkeyMailProperties settings) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.composers = new HashMap<>();
        composers.forEach(composer -> composer.kinds().forEach(kind -> this.composers.put(kind, composer)));
        this.transport = transport;
        this.clock = clock;
        this.initialDelay = settings.retry().initialDelay();
        this.maxDelay = settings.retry().maxDelay();
        this.maxAttempts = settings.retry().maxAttempts();
        this.pollInterval = settings.pollInterval();
        log.info("Account mail goes to {}", transport.describe());
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(new FixedDelayTask(this::sendDue, pollInterval, pollInterval));
    }

    void sendDue() {
        for (int sent = 0; sent < BATCH; sent++) {
            if (!sendOne()) {
                return;
            }
        }
    }

    /** Sends (or gives up on) the next due mail; false when none is due. */
    boolean sendOne() {
        Instant now = clock.instant();
        AtomicReference<Due> taken = new AtomicReference<>();
        try {
            transactions.executeWithoutResult(status -> {
                Optional<Due> next = jdbc.sql("""
                        SELECT id, kind, recipient, payload::text AS payload, attempts FROM mail_outbox
                        WHERE status = 'pending' AND next_attempt_at <= :now
                        ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED""")
                        .param("now", Timestamp.from(now))
                        .query((rs, n) -> new Due(rs.getObject("id", UUID.class), rs.getString("kind"),
                                rs.getString("recipient"), payload(rs.getString("payload")), rs.getInt("attempts")))
                        .optional();
                if (next.isEmpty()) {
                    return;
                }
                Due due = next.get();
                taken.set(due);
                MailComposer composer = composers.get(due.kind());
                Optional<Mail> mail = composer == null ? Optional.empty() : composer.compose(due.kind(), due.recipient(), due.payload());
                if (mail.isEmpty()) {
                    finish(due, "skipped", composer == null ? "no composer for " + due.kind() : null, now);
                    return;
                }
                transport.deliver(mail.get());
                finish(due, "sent", null, now);
            });
        } catch (RuntimeException e) {
            if (taken.get() == null) {
                throw e;
            }
            // The composing transaction rolled back (no link of it exists); the row is tried again later.
            retryLater(taken.get(), now, e);
        }
        return taken.get() != null;
    }

    private void retryLater(Due due, Instant now, RuntimeException error) {
        int attempts = due.attempts() + 1;
        String reason = error.getClass().getSimpleName();
        if (attempts >= maxAttempts) {
            log.error("Mail {} ({}) failed {} times and is given up; last error: {}", due.id(), due.kind(), attempts,
                    reason);
            jdbc.sql("""
                    UPDATE mail_outbox SET attempts = :attempts, status = 'failed', finished_at = :now, last_error = :error
                    WHERE id = :id AND status = 'pending'""")
                    .param("attempts", attempts).param("now", Timestamp.from(now)).param("error", reason)
                    .param("id", due.id()).update();
            return;
        }
        Duration delay = initialDelay.multipliedBy(1L << Math.min(attempts - 1, 20));
        if (delay.compareTo(maxDelay) > 0) {
            delay = maxDelay;
        }
        log.warn("Mail {} ({}) was not sent ({}); attempt {} of {} in {}", due.id(), due.kind(), reason, attempts + 1,
                maxAttempts, delay);
        jdbc.sql("""
                UPDATE mail_outbox SET attempts = :attempts, next_attempt_at = :next, last_error = :error
                WHERE id = :id AND status = 'pending'""")
                .param("attempts", attempts).param("next", Timestamp.from(now.plus(delay)))
                .param("error", reason).param("id", due.id()).update();
    }

    private void finish(Due due, String status, String error, Instant now) {
        jdbc.sql("""
                UPDATE mail_outbox SET status = :status, attempts = attempts + 1, finished_at = :now, last_error = :error
                WHERE id = :id""")
                .param("status", status).param("now", Timestamp.from(now)).param("error", error)
                .param("id", due.id()).update();
    }

    private static Map<String, String> payload(String json) {
        return new HashMap<>(JSON.readValue(json, new TypeReference<Map<String, String>>() { }));
    }
}
