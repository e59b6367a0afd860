package dev.latchkey.broker.spi;

import java.time.Duration;
import java.time.Instant;

import dev.latchkey.broker.TokenRequest;
import dev.latchkey.credentials.DecryptedCredential;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything an adapter needs for one mint: the validated request (its provider's record), the
 * policed object after the policy merge ({@code session}, LiveKit {@code grants}, ...), the
 * clamped TTL and the credential (stored or brought by the caller).
 */
public record MintContext<R extends TokenRequest>(R request, ObjectNode policed, Duration ttl,
        DecryptedCredential credential, Instant now) {
}
