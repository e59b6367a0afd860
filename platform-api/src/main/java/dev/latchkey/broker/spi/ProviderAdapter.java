package dev.latchkey.broker.spi;

import java.util.List;
import java.util.Map;

import dev.latchkey.broker.MintedToken;
import dev.latchkey.broker.TokenRequest;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.credentials.Verification;
import dev.latchkey.kernel.Provider;
import tools.jackson.databind.JsonNode;

/**
 * One provider's wire format: how a token is minted, the record its requests are read into (the
 * fields it takes, with their Bean Validation constraints), its TTL range, and how a stored
 * credential is checked against the live provider.
 *
 * @param <R> the provider's {@code POST /v1/tokens} body
 */
public interface ProviderAdapter<R extends TokenRequest> {

    Provider provider();

    /**
     * The record a request body is read into (a field it has not is refused) and whose
     * constraints the broker checks before anything else of the provider's ({@link ProviderRequests}).
     */
    Class<R> requestType();

    /** The name of the object that the policy governs in this provider's requests. */
    default String policedObject() {
        return "session";
    }

    /** Client-settable paths of the policed object when the organization has set no policy: all of them. */
    default List<String> defaultAllowedOverrides() {
        return List.of("*");
    }

    TtlRange ttl();

    /** The client's part of the policed object in a request (its {@code session}, LiveKit's {@code grants}); null for none. */
    JsonNode policed(R request);

    MintedToken mint(MintContext<R> context);

    /**
     * Whether a managed (platform) credential of this config is brokered through one-time session
     * tokens only: when a token for the client would name a host from the platform's config (an
     * Azure endpoint, a Luna base URL), which the session-token proxy keeps inside Latchkey. LiveKit
     * and Daily have no such path: their URLs are where clients connect.
     */
    default boolean sessionTokensOnlyWhenManaged(Map<String, String> config) {
        return false;
    }

    /** A live check of the credential: a refused key is a result, not an exception. */
    Verification verify(DecryptedCredential credential);

    /** Default, minimum and maximum lifetime of this provider's tokens, in seconds. */
    record TtlRange(int defaultSeconds, int minSeconds, int maxSeconds) {
    }
}
