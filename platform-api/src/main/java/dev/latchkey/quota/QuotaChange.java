package dev.latchkey.quota;

/**
 * A platform admin's change of an organization's quota. {@code plan} null keeps the plan;
 * {@code rate} and {@code monthlyAllowance} replace the overrides, null meaning "the plan's value".
 */
public record QuotaChange(String plan, QuotaView.Rate rate, Long monthlyAllowance) {
}
