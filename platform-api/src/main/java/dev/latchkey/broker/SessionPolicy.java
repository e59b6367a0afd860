package dev.latchkey.broker;

import java.util.List;

import tools.jackson.databind.node.ObjectNode;

/**
 * An organization's rules for one provider: session fields it fixes ({@code pinned}), the
 * fields its clients may set ({@code allowed_overrides}, dotted paths; {@code "*"} for all),
 * TTL bounds, an optional cap on session length, and whether callers may bring their own key.
 */
public record SessionPolicy(ObjectNode pinned, List<String> allowedOverrides, Integer defaultTtlSeconds,
        Integer maxTtlSeconds, Integer maxSessionSeconds, Boolean allowByok) {

    public SessionPolicy {
        allowedOverrides = allowedOverrides == null ? List.of() : List.copyOf(allowedOverrides);
        allowByok = Boolean.TRUE.equals(allowByok);
    }
}
