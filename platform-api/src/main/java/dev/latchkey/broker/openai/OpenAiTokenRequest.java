package dev.latchkey.broker.openai;

import dev.latchkey.broker.TokenRequest;
import dev.latchkey.kernel.EndUser;
import dev.latchkey.kernel.Provider;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenAI Realtime token request: the {@code session} the client asks for (any of OpenAI's
 * session fields; the organization's policy decides which it may set), besides the common fields.
 */
public record OpenAiTokenRequest(String provider, ObjectNode session, Integer ttlSeconds, @EndUser.Id String endUser,
        String credential) implements TokenRequest {

    /** What OpenAI's own {@code client_secrets} body asks for, as a request of this provider's. */
    static OpenAiTokenRequest of(ObjectNode session, Integer ttlSeconds) {
        return new OpenAiTokenRequest(Provider.OPENAI.id(), session, ttlSeconds, null, null);
    }
}
