package dev.latchkey.webhooks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import dev.latchkey.ledger.UsageThresholdCrossed;
import tools.jackson.databind.json.JsonMapper;

/**
 * Queues a usage alert for the organization's webhook endpoints. It runs after the alert's
 * transaction commits; the event publication registry holds the event until this has queued it,
 * and resubmits it after a restart, so an alert is queued at least once and, since a delivery is
 * unique per endpoint and event id, delivered once per endpoint.
 */
@Component
class UsageAlertWebhooks {

    /** The webhook payload. */
    record Payload(UUID id, String type, Instant createdAt, UUID orgId, Map<String, Object> data) {
    }

    private final WebhookService webhooks;
    private final JsonMapper json;

    UsageAlertWebhooks(WebhookService webhooks, JsonMapper json) {
        this.webhooks = webhooks;
        this.json = json;
    }

    @ApplicationModuleListener
    void on(UsageThresholdCrossed event) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("threshold_percent", event.thresholdPercent());
        data.put("period", event.period());
        data.put("used", event.used());
        data.put("allowance", event.allowance());
        String payload = json.writeValueAsString(new Payload(event.id(), UsageThresholdCrossed.TYPE,
                event.occurredAt(), event.orgId(), data));
        webhooks.enqueue(event.orgId(), event.id(), UsageThresholdCrossed.TYPE, payload);
    }
}
