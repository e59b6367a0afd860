package dev.latchkey.broker.azure;

import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.latchkey.broker.CallAnswer;
import dev.latchkey.broker.HangupResult;
import dev.latchkey.broker.MintedToken;
import dev.latchkey.broker.openai.OpenAiRealtime;
import dev.latchkey.broker.spi.Sessions;
import dev.latchkey.broker.spi.MintContext;
import dev.latchkey.broker.spi.RealtimeCallAdapter;
import dev.latchkey.broker.spi.UpstreamClient;
import dev.latchkey.broker.spi.UpstreamTarget;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.kernel.Provider;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Azure OpenAI Realtime calls (GA, WebRTC): the calls endpoint takes an ephemeral bearer token,
 * so Latchkey first mints one with the stored key ({@code /openai/v1/realtime/client_secrets},
 * {@code api-key} header; it never leaves Latchkey) and then posts the raw
 * {@code application/sdp} offer to {@code /openai/v1/realtime/calls} with it: 201, the SDP answer,
 * {@code Location} ending in the call id. {@code /openai/v1/realtime/calls/{call_id}/hangup}
 * with the {@code api-key} header ends the call.
 */
@Component
class AzureOpenAiRealtimeCalls implements RealtimeCallAdapter {

    /** The ephemeral key is used at once, by Latchkey itself; OpenAI's minimum lifetime is 10 s. */
    private static final Duration EPHEMERAL_TTL = Duration.ofSeconds(60);

    private final AzureOpenAiRealtime realtime;
    private final UpstreamClient upstream;
    private final JsonMapper json;
    private final Clock clock;

    AzureOpenAiRealtimeCalls(AzureOpenAiRealtime realtime, UpstreamClient upstream, JsonMapper json, Clock clock) {
        this.realtime = realtime;
        this.upstream = upstream;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Provider provider() {
        return Provider.AZURE_OPENAI;
    }

    @Override
    public ObjectNode session(ObjectNode policed, Map<String, String> credentialConfig) {
        ObjectNode session = Sessions.withDefault(policed, "type", "realtime");
        AzureOpenAiRealtime.pinDeployment(session, credentialConfig);
        return session;
    }

    @Override
    public CallAnswer start(DecryptedCredential credential, ObjectNode session, String offer) {
        UpstreamTarget target = realtime.target(credential);
        MintedToken ephemeral = OpenAiRealtime.clientSecret(upstream, json, Provider.AZURE_OPENAI, target,
                HttpRequest.newBuilder(target.resolve("/openai/v1/realtime/client_secrets"))
                        .header("api-key", credential.secret("api_key").reveal()),
                new MintContext(null, session.deepCopy(), EPHEMERAL_TTL, credential, clock.instant()), null);
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve("/openai/v1/realtime/calls"))
                .header("Authorization", "Bearer " + ephemeral.token())
                .header("Content-Type", "application/sdp")
                .header("Accept", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(offer));
        return OpenAiRealtime.callAnswer(json, Provider.AZURE_OPENAI,
                upstream.send(Provider.AZURE_OPENAI, target, request, false), true);
    }

    @Override
    public boolean canHangUp() {
        return true;
    }

    @Override
    public HangupResult hangUp(DecryptedCredential credential, String providerCallId) {
        UpstreamTarget target = realtime.target(credential);
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        target.resolve("/openai/v1/realtime/calls/" + providerCallId + "/hangup"))
                .header("api-key", credential.secret("api_key").reveal())
                .POST(HttpRequest.BodyPublishers.noBody());
        return OpenAiRealtime.hangupResult(json, Provider.AZURE_OPENAI,
                upstream.send(Provider.AZURE_OPENAI, target, request, true));
    }
}
