package dev.latchkey.broker.openai;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.latchkey.broker.CallAnswer;
import dev.latchkey.broker.HangupResult;
import dev.latchkey.broker.spi.Sessions;
import dev.latchkey.broker.spi.MultipartForm;
import dev.latchkey.broker.spi.RealtimeCallAdapter;
import dev.latchkey.broker.spi.UpstreamClient;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.credentials.ProviderSettings;
import dev.latchkey.kernel.Provider;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI Realtime calls (WebRTC): {@code POST /v1/realtime/calls} with the org's standard key as
 * {@code multipart/form-data}, an {@code sdp} part (application/sdp) and a {@code session} part
 * (application/json, the GA session); 201 with the SDP answer and
 * {@code Location: /v1/realtime/calls/{call_id}}. {@code POST /v1/realtime/calls/{call_id}/hangup}
 * ends the call.
 */
@Component
class OpenAiRealtimeCalls implements RealtimeCallAdapter {

    private final UpstreamClient upstream;
    private final ProviderSettings settings;
    private final JsonMapper json;

    OpenAiRealtimeCalls(UpstreamClient upstream, ProviderSettings settings, JsonMapper json) {
        this.upstream = upstream;
        this.settings = settings;
        this.json = json;
    }

    @Override
    public Provider provider() {
        return Provider.OPENAI;
    }

    /** The API requires a session type; {@code realtime} unless the policy or client chose one. */
    @Override
    public ObjectNode session(ObjectNode policed, Map<String, String> credentialConfig) {
        return Sessions.withDefault(policed, "type", "realtime");
    }

    @Override
    public CallAnswer start(DecryptedCredential credential, ObjectNode session, String offer) {
        MultipartForm form = MultipartForm.sdpOffer(offer, json.writeValueAsBytes(session));
        HttpRequest.Builder request = form.postOffer(OpenAiRealtime.authorized(HttpRequest.newBuilder(
                UpstreamClient.resolve(OpenAiRealtime.base(settings), "/v1/realtime/calls")), credential));
        return OpenAiRealtime.callAnswer(json, Provider.OPENAI, upstream.send(Provider.OPENAI, request, false), true);
    }

    @Override
    public boolean canHangUp() {
        return true;
    }

    @Override
    public HangupResult hangUp(DecryptedCredential credential, String providerCallId) {
        URI url = UpstreamClient.resolve(OpenAiRealtime.base(settings), "/v1/realtime/calls/" + providerCallId + "/hangup");
        HttpRequest.Builder request = OpenAiRealtime.authorized(HttpRequest.newBuilder(url), credential)
                .POST(HttpRequest.BodyPublishers.noBody());
        // Hanging up twice is harmless (the second is a 404), so a failed attempt may be retried.
        return OpenAiRealtime.hangupResult(json, Provider.OPENAI, upstream.send(Provider.OPENAI, request, true));
    }
}
