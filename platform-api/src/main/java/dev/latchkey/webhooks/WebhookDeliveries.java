package dev.latchkey.webhooks;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.net.ssl.SSLException;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.latchkey.crypto.EnvelopeEncryption;
import dev.latchkey.outbound.GuardedHttpClient;
import dev.latchkey.outbound.OutboundGuard;
import dev.latchkey.outbound.RefusedAddressException;

/**
 * Delivers queued webhook events. Every instance polls; a delivery is claimed with
 * {@code FOR UPDATE SKIP LOCKED} and a lease, so exactly one instance attempts it at a time and
 * a crashed instance's claim lapses. A 2xx answer delivers it; anything else (status, timeout,
 * refused address) schedules the next attempt after an exponential backoff
 * ({@code latchkey.webhooks.retry.*}) until {@code max-attempts}, then marks it failed. Every
 * attempt is logged for the organization to read, with a coarse reason ("connection refused",
 * "TLS error", "timeout", "refused address", ...) and never an exception's text, which would
 * tell a tenant about the network Latchkey sits in. Each attempt resolves the host once through
 * {@link OutboundGuard} and connects only to the addresses it checked. Redirects are not followed.
 */
@Component
class WebhookDeliveries implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(WebhookDeliveries.class);
    private static final int BATCH = 20;

    private record Due(UUID id, UUID endpointId, UUID orgId, UUID eventId, String eventType, String payload,
            int attempts, String url, byte[] sealedSecret) {
    }

    private record Outcome(Integer statusCode, String error, int durationMs) {
        boolean delivered() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** A receiver gets this long to answer; slower ones count as failed attempts. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final EnvelopeEncryption encryption;
    private final Clock clock;
    private final GuardedHttpClient http;
    private final ExecutorService senders = Executors.newFixedThreadPool(4);
    private final Duration timeout;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final int maxAttempts;
    private final Duration pollInterval;

    WebhookDeliveries(JdbcClient jdbc, TransactionTemplate transactions, EnvelopeEncryption encryption,
            WebhookUrlGuard guard, OutboundGuard outbound, Clock clock, WebhooksProperties settings) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.encryption = encryption;
        this.clock = clock;
        this.timeout = TIMEOUT;
        this.pollInterval = settings.pollInterval();
        this.initialDelay = settings.retry().initialDelay();
        this.maxDelay = settings.retry().maxDelay();
        this.maxAttempts = settings.retry().maxAttempts();
        this.http = outbound.httpClient(guard.scope(), CONNECT_TIMEOUT);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::deliverDue, pollInterval);
    }

    void deliverDue() {
        List<Due> due = claim();
        List<Future<?>> sending = new ArrayList<>();
        for (Due delivery : due) {
            sending.add(senders.submit(() -> deliver(delivery)));
        }
        for (Future<?> future : sending) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                log.error("A webhook delivery failed unexpectedly", e.getCause());
            }
        }
    }

    /** The next attempt's delay after {@code attempts} failed ones: initial × 2^(attempts-1), capped. */
    static Duration backoff(int attempts, Duration initialDelay, Duration maxDelay) {
        Duration delay = initialDelay;
        for (int i = 1; i < attempts && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    private List<Due> claim() {
        Instant now = clock.instant();
        // The lease outlasts one attempt; if this instance dies, the delivery is due again after it.
        Instant leaseUntil = now.plus(timeout.multipliedBy(2)).plusSeconds(30);
        return transactions.execute(status -> jdbc.sql("""
                UPDATE webhook_deliveries d SET next_attempt_at = :leaseUntil
                FROM webhook_endpoints e
                WHERE d.id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= :now
                               ORDER BY next_attempt_at LIMIT :batch FOR UPDATE SKIP LOCKED)
                  AND e.id = d.endpoint_id
                RETURNING d.id, d.endpoint_id, d.org_id, d.event_id, d.event_type, d.payload, d.attempts, e.url,
                          e.secret_ciphertext""")
                .param("leaseUntil", Timestamp.from(leaseUntil)).param("now", Timestamp.from(now))
                .param("batch", BATCH)
                .query((rs, n) -> new Due(rs.getObject("id", UUID.class), rs.getObject("endpoint_id", UUID.class),
                        rs.getObject("org_id", UUID.class), rs.getObject("event_id", UUID.class),
                        rs.getString("event_type"), rs.getString("payload"), rs.getInt("attempts"),
                        rs.getString("url"), rs.getBytes("secret_ciphertext")))
                .list());
    }

    private void deliver(Due delivery) {
        Outcome outcome = attempt(delivery);
        int attempt = delivery.attempts() + 1;
        Instant now = clock.instant();
        String status;
        Instant next = null;
        if (outcome.delivered()) {
            status = "delivered";
        } else if (attempt >= maxAttempts) {
            status = "failed";
            log.info("Webhook delivery {} failed for good after {} attempts", delivery.id(), attempt);
        } else {
            status = "pending";
            next = now.plus(backoff(attempt, initialDelay, maxDelay));
        }
        Instant nextAttemptAt = next;
        transactions.executeWithoutResult(tx -> {
            jdbc.sql("""
                    INSERT INTO webhook_delivery_attempts (delivery_id, attempt, attempted_at, status_code, error,
                        duration_ms)
                    VALUES (:id, :attempt, :now, :statusCode, :error, :durationMs)
                    ON CONFLICT (delivery_id, attempt) DO NOTHING""")
                    .param("id", delivery.id()).param("attempt", attempt).param("now", Timestamp.from(now))
                    .param("statusCode", outcome.statusCode(), java.sql.Types.INTEGER)
                    .param("error", outcome.error()).param("durationMs", outcome.durationMs())
                    .update();
            jdbc.sql("""
                    UPDATE webhook_deliveries SET status = :status, attempts = :attempt, next_attempt_at = :next,
                        last_status_code = :statusCode, last_error = :error,
                        delivered_at = CASE WHEN :status = 'delivered' THEN CAST(:now AS timestamptz) END
                    WHERE id = :id""")
                    .param("status", status).param("attempt", attempt)
                    .param("next", nextAttemptAt == null ? null : Timestamp.from(nextAttemptAt),
                            java.sql.Types.TIMESTAMP)
                    .param("statusCode", outcome.statusCode(), java.sql.Types.INTEGER)
                    .param("error", outcome.error()).param("now", Timestamp.from(now)).param("id", delivery.id())
                    .update();
        });
    }

    private Outcome attempt(Due delivery) {
        long started = System.nanoTime();
        try {
            URI url = URI.create(delivery.url());
            byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
            Map<String, List<String>> headers = Map.of(
                    "Content-Type", List.of("application/json"),
                    "User-Agent", List.of("Latchkey-Webhooks/1"),
                    "Latchkey-Event-Id", List.of(delivery.eventId().toString()),
                    "Latchkey-Event-Type", List.of(delivery.eventType()),
                    "Latchkey-Delivery-Id", List.of(delivery.id().toString()),
                    WebhookSignature.HEADER, List.of(signature(delivery, body)));
            int status = http.send("POST", url, headers, body, timeout, false).status();
            return new Outcome(status, status >= 200 && status < 300 ? null : "the endpoint answered HTTP " + status,
                    elapsed(started));
        } catch (IOException | IllegalArgumentException failed) {
            return new Outcome(null, reason(failed), elapsed(started));
        }
    }

    /** What went wrong, coarsely: the delivery log is the tenant's, the network details are not. */
    static String reason(Exception failure) {
        if (failure instanceof RefusedAddressException) {
            return "refused address";
        }
        if (failure instanceof UnknownHostException) {
            return "unknown host";
        }
        if (failure instanceof ConnectException) {
            return "connection refused";
        }
        if (failure instanceof SSLException) {
            return "TLS error";
        }
        if (failure instanceof InterruptedIOException) {
            return "timeout";
        }
        if (failure instanceof IllegalArgumentException) {
            return "invalid URL";
        }
        return "connection failed";
    }

    private String signature(Due delivery, byte[] body) {
        byte[] secret = encryption.decrypt(delivery.orgId(), WebhookService.context(delivery.endpointId()),
                delivery.sealedSecret());
        try {
            return WebhookSignature.header(new String(secret, StandardCharsets.UTF_8),
                    clock.instant().getEpochSecond(), body);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static int elapsed(long startedNanos) {
        return (int) Math.min(Integer.MAX_VALUE, Duration.ofNanos(System.nanoTime() - startedNanos).toMillis());
    }

    @PreDestroy
    void stop() {
        senders.shutdownNow();
        http.close();
    }
}
