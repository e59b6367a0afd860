package dev.latchkey.broker.luna;

import java.net.http.HttpRequest;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.latchkey.broker.CallAnswer;
import dev.latchkey.broker.HangupResult;
import dev.latchkey.broker.openai.OpenAiRealtime;
import dev.latchkey.broker.spi.Sessions;
import dev.latchkey.broker.spi.MultipartForm;
import dev.latchkey.broker.spi.RealtimeCallAdapter;
import dev.latchkey.broker.spi.UpstreamClient;
import dev.latchkey.broker.spi.UpstreamTarget;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.kernel.Provider;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Luna calls: {@code POST {base}/v1/realtime/calls} with the main key
 * ({@code X-Luna-Key: Bearer <key>}) as {@code multipart/form-data} with an {@code sdp} and a
 * {@code session} part (the flat, beta-style session); the answer SDP comes back as text. Luna
 * documents neither a call id nor a hang-up, so Latchkey cannot end Luna calls.
 */
@Component
class LunaRealtimeCalls implements RealtimeCallAdapter {

    private final LunaRealtime realtime;
    private final UpstreamClient upstream;
    private final JsonMapper json;

    LunaRealtimeCalls(LunaRealtime realtime, UpstreamClient upstream, JsonMapper json) {
        this.realtime = realtime;
        this.upstream = upstream;
        this.json = json;
    }

    @Override
    public Provider provider() {
        return Provider.LUNA;
    }

    @Override
    public ObjectNode session(ObjectNode policed, Map<String, String> credentialConfig) {
        return Sessions.withDefault(policed, "model", "lunav1");
    }

    @Override
    public CallAnswer start(DecryptedCredential credential, ObjectNode session, String offer) {
        MultipartForm form = MultipartForm.sdpOffer(offer, json.writeValueAsBytes(session));
        UpstreamTarget target = realtime.target(credential);
        HttpRequest.Builder request = form.postOffer(HttpRequest.newBuilder(target.resolve("/v1/realtime/calls"))
                .header("X-Luna-Key", "Bearer " + credential.secret("api_key").reveal()));
        UpstreamClient.UpstreamResponse response = upstream.send(Provider.LUNA, target, request, false);
        if (!response.ok()) {
            throw UpstreamClient.refused(Provider.LUNA, response, null);
        }
        return OpenAiRealtime.callAnswer(json, Provider.LUNA, response, false);
    }

    @Override
    public boolean canHangUp() {
        return false;
    }

    @Override
    public HangupResult hangUp(DecryptedCredential credential, String providerCallId) {
        throw new UnsupportedOperationException("Luna documents no way to end a call from the server");
    }
}
