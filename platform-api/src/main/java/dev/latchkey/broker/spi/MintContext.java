package dev.latchkey.broker.spi;

import java.time.Duration;
import java.time.Instant;

import dev.latchkey.broker.MintRequest;
import dev.latchkey.credentials.DecryptedCredential;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything an adapter needs for one mint: the validated request, the policed object after
 * the policy merge ({@code session}, LiveKit {@code grants}, ...), the clamped TTL and the
 * credential (stored or brought by the caller).
 */
public record MintContext(MintRequest request, ObjectNode policed, Duration ttl, DecryptedCredential credential,
        Instant now) {
}
