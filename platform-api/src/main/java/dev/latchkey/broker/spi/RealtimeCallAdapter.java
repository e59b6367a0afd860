package dev.latchkey.broker.spi;

import java.util.Map;

import dev.latchkey.broker.CallAnswer;
import dev.latchkey.broker.HangupResult;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.kernel.Provider;
import tools.jackson.databind.node.ObjectNode;

/**
 * One provider's WebRTC calls endpoint: how a call is started with an SDP offer and the stored
 * credential (the offer never leaves with a provider key in the browser), and how it is hung up
 * from the server side. Implemented next to the provider's {@link ProviderAdapter}, the one
 * place that knows its wire format.
 */
public interface RealtimeCallAdapter {

    Provider provider();

    /**
     * The policed session shaped as this provider's calls take it: defaults the provider requires
     * filled in, fields the credential fixes (an Azure deployment) enforced; 400 naming the field.
     */
    ObjectNode session(ObjectNode policed, Map<String, String> credentialConfig);

    /** Starts a call: the provider's SDP answer and its call id (from {@code Location}). */
    CallAnswer start(DecryptedCredential credential, ObjectNode session, String offer);

    /** Whether the provider documents a way to end a call from the server. */
    boolean canHangUp();

    /** Ends the call at the provider; a call the provider no longer knows is {@link HangupResult#NOT_FOUND}. */
    HangupResult hangUp(DecryptedCredential credential, String providerCallId);
}
