package dev.latchkey.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the webhook API shows. The signing secret appears in {@link Created} only, once. */
final class WebhookViews {

    private WebhookViews() {
    }

    record Endpoint(UUID id, String url, String description, List<String> events, String secretPrefix,
            Instant createdAt) {
    }

    record Created(UUID id, String url, String description, List<String> events, String secret,
            String secretPrefix, Instant createdAt) {
        @Override
        public String toString() {
            return "Created[id=" + id + ", url=" + url + ", secret=***]";
        }
    }

    /** One event's delivery to one endpoint, with every attempt. */
    record Delivery(UUID id, UUID eventId, String eventType, String status, int attempts, Instant createdAt,
            Instant nextAttemptAt, Instant deliveredAt, Integer lastStatusCode, String lastError,
            List<Attempt> attemptLog) {
    }

    record Attempt(int attempt, Instant attemptedAt, Integer statusCode, String error, int durationMs) {
    }
}
