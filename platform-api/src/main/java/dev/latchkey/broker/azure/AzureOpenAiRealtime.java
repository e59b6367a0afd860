package dev.latchkey.broker.azure;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.latchkey.broker.spi.MintContext;
import dev.latchkey.broker.MintedToken;
import dev.latchkey.broker.spi.ProviderAdapter;
import dev.latchkey.broker.spi.UpstreamClient;
import dev.latchkey.broker.spi.UpstreamTarget;
import dev.latchkey.broker.openai.OpenAiRealtime;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.credentials.ProviderSettings;
import dev.latchkey.credentials.Verification;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Provider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Azure OpenAI Realtime (GA v1 API): the OpenAI client-secret body at
 * {@code https://<resource>.openai.azure.com/openai/v1/realtime/client_secrets} with an
 * {@code api-key} header, and {@code session.model} always the credential's deployment.
 */
@Component
class AzureOpenAiRealtime implements ProviderAdapter<AzureOpenAiTokenRequest> {

    private static final TtlRange TTL = new TtlRange(600, 10, 7200);

    private final UpstreamClient upstream;
    private final ProviderSettings settings;
    private final JsonMapper json;

    AzureOpenAiRealtime(UpstreamClient upstream, ProviderSettings settings, JsonMapper json) {
        this.upstream = upstream;
        this.settings = settings;
        this.json = json;
    }

    @Override
    public Provider provider() {
        return Provider.AZURE_OPENAI;
    }

    @Override
    public Class<AzureOpenAiTokenRequest> requestType() {
        return AzureOpenAiTokenRequest.class;
    }

    @Override
    public TtlRange ttl() {
        return TTL;
    }

    @Override
    public JsonNode policed(AzureOpenAiTokenRequest request) {
        return request.session();
    }

    @Override
    public MintedToken mint(MintContext<AzureOpenAiTokenRequest> context) {
        pinDeployment(context.policed(), context.credential().config());
        UpstreamTarget target = target(context.credential());
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve("/openai/v1/realtime/client_secrets"))
                .header("api-key", context.credential().secret("api_key").reveal());
        return OpenAiRealtime.clientSecret(upstream, json, Provider.AZURE_OPENAI, target, request, context,
                target.resolve("/openai/v1/realtime/calls").toString());
    }

    /** The client would get the calls URL at the credential's own Azure endpoint. */
    @Override
    public boolean sessionTokensOnlyWhenManaged(Map<String, String> config) {
        return true;
    }

    /** {@code session.model} is always the credential's deployment; asking for another is a 400. */
    static void pinDeployment(ObjectNode session, Map<String, String> config) {
        String deployment = config.get("deployment");
        JsonNode model = session.get("model");
        if (model != null && !model.asString("").equals(deployment)) {
            throw LatchkeyException.invalidField("session.model",
                    "is the credential's Azure deployment (" + deployment + ") and cannot be changed");
        }
        session.put("model", deployment);
    }

    /** Lists the resource's models with the key: {@code GET /openai/v1/models}. */
    @Override
    public Verification verify(DecryptedCredential credential) {
        UpstreamTarget target = target(credential);
        return OpenAiRealtime.verifyWith(upstream, json, Provider.AZURE_OPENAI, target,
                HttpRequest.newBuilder(target.resolve("/openai/v1/models"))
                        .header("api-key", credential.secret("api_key").reveal()).GET());
    }

    /**
     * The operator's base URL, else the credential's endpoint: a tenant's host, called only on
     * public addresses checked at connection time (the name may resolve elsewhere now than when
     * it was stored).
     */
    UpstreamTarget target(DecryptedCredential credential) {
        return settings.baseUrl(Provider.AZURE_OPENAI).map(UpstreamTarget::fixed)
                .orElseGet(() -> UpstreamTarget.tenant(URI.create(credential.config().get("endpoint")),
                        "config.endpoint"));
    }
}
