package dev.latchkey.broker.luna;

import dev.latchkey.broker.TokenRequest;
import dev.latchkey.kernel.EndUser;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Luna token request: the flat, beta-style {@code session} the client asks for, besides the
 * common fields; Luna's keys live five minutes whatever {@code ttl_seconds} says.
 */
public record LunaTokenRequest(String provider, ObjectNode session, Integer ttlSeconds, @EndUser.Id String endUser,
        String credential) implements TokenRequest {
}
