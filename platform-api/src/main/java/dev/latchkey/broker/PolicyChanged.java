package dev.latchkey.broker;

import java.util.Map;
import java.util.UUID;

import dev.latchkey.kernel.AuditedChange;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.Provider;

/** An organization's session policy for a provider was set. */
public record PolicyChanged(Caller actor, UUID orgId, Provider provider, SessionPolicy policy) implements AuditedChange {

    @Override
    public String action() {
        return "policy.changed";
    }

    @Override
    public String targetType() {
        return "policy";
    }

    @Override
    public Object targetId() {
        return provider.id();
    }

    @Override
    public Map<String, Object> details() {
        return AuditedChange.details("allowed_overrides", String.join(" ", policy.allowedOverrides()),
                "max_ttl_seconds", policy.maxTtlSeconds(), "allow_byok", policy.allowByok());
    }
}
