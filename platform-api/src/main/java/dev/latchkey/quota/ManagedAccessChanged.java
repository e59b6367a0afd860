package dev.latchkey.quota;

import java.util.Map;
import java.util.UUID;

import dev.latchkey.kernel.AuditedChange;
import dev.latchkey.kernel.Caller;

/** A platform admin changed which providers an organization may use through managed credentials. */
public record ManagedAccessChanged(Caller actor, UUID orgId, ManagedAccessView access) implements AuditedChange {

    @Override
    public String action() {
        return "managed_access.changed";
    }

    @Override
    public Map<String, Object> details() {
        return AuditedChange.details("providers", String.join(",", access.providers()),
                "effective_providers", String.join(",", access.effectiveProviders()));
    }
}
