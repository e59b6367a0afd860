package dev.latchkey.quota;

import java.util.Map;
import java.util.UUID;

import dev.latchkey.kernel.AuditedChange;
import dev.latchkey.kernel.Caller;

/** A platform admin moved an organization to a plan or changed its overrides; {@code quota} is the result. */
public record QuotaChanged(Caller actor, UUID orgId, QuotaView quota) implements AuditedChange {

    @Override
    public String action() {
        return "quota.changed";
    }

    @Override
    public Map<String, Object> details() {
        QuotaView.Rate rate = quota.overrides().rate();
        return AuditedChange.details("plan", quota.plan(),
                "rate", rate == null ? null : rate.limit() + "/" + rate.windowSeconds() + "s burst " + rate.burst(),
                "monthly_allowance", quota.overrides().monthlyAllowance());
    }
}
