package dev.latchkey.mail;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.json.JsonMapper;

/**
 * Queues mail in the caller's transaction: it is sent only if the action that queued it commits,
 * survives a restart, and is retried until the mail server takes it. The payload holds references
 * only; the message is composed when it is sent ({@link MailComposer}).
 */
@Service
public class MailOutbox {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final Clock clock;

    MailOutbox(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public UUID enqueue(String kind, String recipient, Map<String, String> payload) {
        UUID id = UUID.randomUUID();
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                INSERT INTO mail_outbox (id, kind, recipient, payload, created_at, next_attempt_at)
                VALUES (:id, :kind, :recipient, CAST(:payload AS jsonb), :now, :now)""")
                .param("id", id)
                .param("kind", kind)
                .param("recipient", recipient)
                .param("payload", JSON.writeValueAsString(payload))
                .param("now", now)
                .update();
        return id;
    }
}
