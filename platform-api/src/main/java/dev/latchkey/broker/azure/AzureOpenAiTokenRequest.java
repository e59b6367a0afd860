package dev.latchkey.broker.azure;

import dev.latchkey.broker.TokenRequest;
import dev.latchkey.kernel.EndUser;
import tools.jackson.databind.node.ObjectNode;

/**
 * An Azure OpenAI Realtime token request: the {@code session} the client asks for, in OpenAI's
 * shape; its {@code model} is always the credential's deployment, besides the common fields.
 */
public record AzureOpenAiTokenRequest(String provider, ObjectNode session, Integer ttlSeconds,
        @EndUser.Id String endUser, String credential) implements TokenRequest {
}
