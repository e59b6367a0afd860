package dev.latchkey.broker.spi;

import java.util.List;
import java.util.Set;

import dev.latchkey.broker.MintRequest;
import dev.latchkey.broker.MintedToken;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.credentials.Verification;
import dev.latchkey.kernel.Provider;
import tools.jackson.databind.JsonNode;

/**
 * One provider's wire format: how a token is minted, which request fields the provider takes,
 * its TTL range, and how a stored credential is checked against the live provider.
 */
public interface ProviderAdapter {

    Provider provider();

    /**
     * The request's fields besides {@code provider}, {@code ttl_seconds} and {@code end_user}; by
     * default the realtime providers' one {@code session}.
     */
    default Set<String> requestFields() {
        return Set.of("session");
    }

    /** The name of the object that the policy governs in this provider's requests. */
    default String policedObject() {
        return "session";
    }

    /** Client-settable paths of the policed object when the organization has set no policy: all of them. */
    default List<String> defaultAllowedOverrides() {
        return List.of("*");
    }

    TtlRange ttl();


    /**
     * The provider's own request fields (room names, identities, ...) as a record whose Bean
     * Validation constraints the broker checks before anything else of the provider's
     * ({@link ProviderRequests}: a 400 naming each field); null when the provider takes no field
     * but the policed {@code session}.
     */
    default Record request(MintRequest request) {
        return null;
    }

    /** What constraints cannot say about the provider's fields (a JSON object's own shape); 400 naming the field. */
    default void validate(MintRequest request) {
    }

    /** The client's part of the policed object in a request (by default its {@code session}). */
    default JsonNode policed(MintRequest request) {
        return request.session();
    }

    MintedToken mint(MintContext context);

    /**
     * Whether a managed (platform) credential of this config is brokered through one-time session
     * tokens only: when a token for the client would name a host from the platform's config (an
     * Azure endpoint, a Luna base URL), which the session-token proxy keeps inside Latchkey. LiveKit
     * and Daily have no such path: their URLs are where clients connect.
     */
    default boolean sessionTokensOnlyWhenManaged(java.util.Map<String, String> config) {
        return false;
    }

    /** A live check of the credential: a refused key is a result, not an exception. */
    Verification verify(DecryptedCredential credential);

    /** Default, minimum and maximum lifetime of this provider's tokens, in seconds. */
    record TtlRange(int defaultSeconds, int minSeconds, int maxSeconds) {
    }
}
