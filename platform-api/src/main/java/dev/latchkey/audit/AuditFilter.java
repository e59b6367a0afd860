package dev.latchkey.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.util.MultiValueMap;

import dev.latchkey.kernel.LatchkeyException;

/**
 * What a reviewer asks for: filters by organization, action (exact, or a prefix ending in
 * {@code *}), actor, outcome, target and time range ({@code from} inclusive, {@code to}
 * exclusive), and the order ({@code desc}, newest first, by default). Unknown query parameters
 * are refused: a mistyped filter must not silently widen the result.
 */
record AuditFilter(UUID orgId, String action, String actor, String actorType, String outcome, String targetType,
        String targetId, Instant from, Instant to, boolean ascending) {

    private static final Pattern ACTION = Pattern.compile("[a-z0-9_.]{1,100}\\*?");
    private static final Pattern TARGET_TYPE = Pattern.compile("[a-z0-9_]{1,50}");
    private static final Set<String> ACTOR_TYPES = Set.of("user", "api_key", "system", "anonymous");
    private static final Set<String> OUTCOMES = Set.of("success", "failure", "denied");
    private static final int MAX_VALUE_LENGTH = 200;

    /** Parameters every review endpoint takes besides the filters. */
    static final Set<String> PAGING = Set.of("cursor", "limit");
    static final Set<String> FILTERS = Set.of("action", "actor", "actor_type", "outcome", "target_type", "target_id",
            "from", "to", "order");

    /**
     * Reads the filters from query parameters; {@code allowOrgFilter} for the platform admins'
     * cross-organization endpoint.
     */
    static AuditFilter parse(MultiValueMap<String, String> query, boolean allowOrgFilter) {
        Set<String> known = new TreeSet<>(FILTERS);
        known.addAll(PAGING);
        if (allowOrgFilter) {
            known.add("org_id");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            String name = parameter.getKey();
            if (!known.contains(name)) {
                throw LatchkeyException.invalidField(name, "is not a known parameter; known are " + known);
            }
            if (parameter.getValue().size() > 1) {
                throw LatchkeyException.invalidField(name, "must be given at most once");
            }
            String value = parameter.getValue().get(0);
            if (value != null && !value.isBlank()) {
                if (value.length() > MAX_VALUE_LENGTH) {
                    throw LatchkeyException.invalidField(name, "must be at most " + MAX_VALUE_LENGTH + " characters");
                }
                values.put(name, value.trim());
            }
        }
        String action = values.get("action");
        if (action != null && !ACTION.matcher(action).matches()) {
            throw LatchkeyException.invalidField("action",
                    "must be an action such as api_key.created, or a prefix such as api_key.*");
        }
        String actorType = oneOf(values, "actor_type", ACTOR_TYPES);
        String outcome = oneOf(values, "outcome", OUTCOMES);
        String targetType = values.get("target_type");
        if (targetType != null && !TARGET_TYPE.matcher(targetType).matches()) {
            throw LatchkeyException.invalidField("target_type", "must be a target type such as api_key or user");
        }
        Instant from = instant(values, "from");
        Instant to = instant(values, "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw LatchkeyException.invalidField("to", "must be after from");
        }
        String order = values.getOrDefault("order", "desc");
        if (!order.equals("desc") && !order.equals("asc")) {
            throw LatchkeyException.invalidField("order", "must be desc (newest first) or asc");
        }
        UUID orgId = null;
        if (values.containsKey("org_id")) {
            try {
                orgId = UUID.fromString(values.get("org_id"));
            } catch (IllegalArgumentException e) {
                throw LatchkeyException.invalidField("org_id", "must be an organization id (a UUID)");
            }
        }
        return new AuditFilter(orgId, action, values.get("actor"), actorType, outcome, targetType,
                values.get("target_id"), from, to, order.equals("asc"));
    }

    AuditFilter forOrg(UUID orgId) {
        return new AuditFilter(orgId, action, actor, actorType, outcome, targetType, targetId, from, to, ascending);
    }

    /** The filters in force, for the record of a platform admin's read. */
    Map<String, String> describe() {
        Map<String, String> described = new LinkedHashMap<>();
        put(described, "org_id", orgId);
        put(described, "action", action);
        put(described, "actor", actor);
        put(described, "actor_type", actorType);
        put(described, "outcome", outcome);
        put(described, "target_type", targetType);
        put(described, "target_id", targetId);
        put(described, "from", from);
        put(described, "to", to);
        return described;
    }

    private static void put(Map<String, String> map, String key, Object value) {
        if (value != null) {
            map.put(key, value.toString());
        }
    }

    private static String oneOf(Map<String, String> values, String name, Set<String> allowed) {
        String value = values.get(name);
        if (value != null && !allowed.contains(value)) {
            throw LatchkeyException.invalidField(name, "must be one of " + new TreeSet<>(allowed));
        }
        return value;
    }

    private static Instant instant(Map<String, String> values, String name) {
        String value = values.get(name);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw LatchkeyException.invalidField(name, "must be an RFC 3339 timestamp such as 2025-01-31T00:00:00Z");
        }
    }
}
