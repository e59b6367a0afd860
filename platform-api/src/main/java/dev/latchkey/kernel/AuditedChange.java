package dev.latchkey.kernel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A change that goes on the audit record, published as an application event by the module that
 * makes it, in the transaction that makes it. The audit module records it with a synchronous
 * listener in that same transaction, so the record commits or rolls back with the change; the
 * publishing module does not know the audit service. (The type lives here because every module
 * already depends on audit through accounts: audit listening to a module's own event type would
 * close a cycle.)
 */
public interface AuditedChange {

    /** The audit action, {@code area.verb} ({@code quota.changed}). */
    String action();

    /** Who made the change. */
    Caller actor();

    /** The organization the change belongs to; null for a platform-wide change. */
    UUID orgId();

    /** What was changed; by default the organization itself. */
    default String targetType() {
        return "organization";
    }

    default Object targetId() {
        return orgId();
    }

    /** What the record says about the change; null values are left out. */
    Map<String, Object> details();

    /** Details in the order given: {@code key, value, key, value, ...}; values may be null. */
    static Map<String, Object> details(Object... keysAndValues) {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            details.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return details;
    }
}
