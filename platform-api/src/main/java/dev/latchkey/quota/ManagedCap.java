package dev.latchkey.quota;

import java.util.UUID;

/**
 * The platform-wide caps of one managed (platform-owned) credential, shared by every organization
 * that brokers through it: a token bucket of {@code requestsPerMinute} and a number of
 * {@code requestsPerMonth} (UTC months); null is no cap.
 */
public record ManagedCap(UUID credentialId, String provider, Integer requestsPerMinute, Long requestsPerMonth) {
}
