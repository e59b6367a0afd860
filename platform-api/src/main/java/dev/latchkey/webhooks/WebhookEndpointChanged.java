package dev.latchkey.webhooks;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.latchkey.kernel.AuditedChange;
import dev.latchkey.kernel.Caller;

/** A webhook endpoint was created ({@code events} it subscribes to) or deleted ({@code events} null). */
public record WebhookEndpointChanged(Change change, Caller actor, UUID orgId, UUID webhookId, String host,
        List<String> events) implements AuditedChange {

    public enum Change {
        CREATED, DELETED
    }

    @Override
    public String action() {
        return "webhook." + change.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String targetType() {
        return "webhook";
    }

    @Override
    public Object targetId() {
        return webhookId;
    }

    @Override
    public Map<String, Object> details() {
        return AuditedChange.details("host", host, "events", events == null ? null : String.join(" ", events));
    }
}
