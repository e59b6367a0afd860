package dev.latchkey.broker.luna;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;

import org.springframework.stereotype.Component;

import dev.latchkey.broker.spi.Sessions;
import dev.latchkey.broker.spi.MintContext;
import dev.latchkey.broker.MintedToken;
import dev.latchkey.broker.spi.ProviderAdapter;
import dev.latchkey.broker.spi.UpstreamClient;
import dev.latchkey.broker.spi.UpstreamTarget;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.credentials.ProviderSettings;
import dev.latchkey.credentials.Verification;
import dev.latchkey.kernel.Provider;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Luna (an OpenAI-Realtime-style API on fal): {@code POST {base}/v1/realtime/client_secrets}
 * with {@code X-Luna-Key: Bearer <key>} and a flat, beta-style session; the ephemeral key is
 * valid five minutes and single use, so the TTL is fixed.
 */
@Component
class LunaRealtime implements ProviderAdapter<LunaTokenRequest> {

    static final URI DEFAULT_BASE = URI.create("https://fal.run/Pixa-AI/luna-next");
    private static final TtlRange TTL = new TtlRange(300, 1, 300);

    private final UpstreamClient upstream;
    private final ProviderSettings settings;
    private final JsonMapper json;

    LunaRealtime(UpstreamClient upstream, ProviderSettings settings, JsonMapper json) {
        this.upstream = upstream;
        this.settings = settings;
        this.json = json;
    }

    @Override
    public Provider provider() {
        return Provider.LUNA;
    }

    @Override
    public Class<LunaTokenRequest> requestType() {
        return LunaTokenRequest.class;
    }

    @Override
    public TtlRange ttl() {
        return TTL;
    }

    @Override
    public JsonNode policed(LunaTokenRequest request) {
        return request.session();
    }

    @Override
    public MintedToken mint(MintContext<LunaTokenRequest> context) {
        ObjectNode session = Sessions.withDefault(context.policed(), "model", "lunav1");
        ObjectNode body = json.createObjectNode();
        body.set("session", session);
        UpstreamTarget target = target(context.credential());
        UpstreamClient.UpstreamResponse response = upstream.send(Provider.LUNA, target, HttpRequest.newBuilder(
                        target.resolve("/v1/realtime/client_secrets"))
                .header("X-Luna-Key", "Bearer " + context.credential().secret("api_key").reveal())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))), false);
        JsonNode answer;
        try {
            answer = response.body().length == 0 ? null : json.readTree(response.body());
        } catch (JacksonException e) {
            answer = null;
        }
        if (!response.ok()) {
            throw UpstreamClient.refused(Provider.LUNA, response, null);
        }
        JsonNode value = answer == null ? null : answer.get("value");
        JsonNode expiresAt = answer == null ? null : answer.get("expires_at");
        if (value == null || !value.isString() || expiresAt == null || !expiresAt.canConvertToLong()) {
            throw UpstreamClient.malformed(Provider.LUNA);
        }
        return new MintedToken(value.asString(), Instant.ofEpochSecond(expiresAt.asLong()),
                target.resolve("/v1/realtime/calls").toString(), session);
    }

    /**
     * Luna documents no read-only endpoint, so a verification mints one ephemeral key (valid five
     * minutes, never handed out) and reports whether Luna accepted the main key.
     */
    @Override
    public Verification verify(DecryptedCredential credential) {
        UpstreamTarget target = target(credential);
        UpstreamClient.UpstreamResponse response = upstream.send(Provider.LUNA, target, HttpRequest.newBuilder(
                        target.resolve("/v1/realtime/client_secrets"))
                .header("X-Luna-Key", "Bearer " + credential.secret("api_key").reveal())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"session\":{\"model\":\"lunav1\"}}")), false);
        return response.ok() ? new Verification(true, "luna accepted the credential")
                : new Verification(false, "luna answered " + response.status());
    }

    /** With a {@code base_url} of its own, the client would get the calls URL at that host. */
    @Override
    public boolean sessionTokensOnlyWhenManaged(java.util.Map<String, String> config) {
        return config.containsKey("base_url");
    }

    /**
     * The operator's base URL, else the credential's {@code base_url} (a tenant's host, called
     * only on public addresses checked at connection time), else Luna's own.
     */
    UpstreamTarget target(DecryptedCredential credential) {
        return settings.baseUrl(Provider.LUNA).map(UpstreamTarget::fixed).orElseGet(() -> {
            String configured = credential.config().get("base_url");
            return configured == null ? UpstreamTarget.fixed(DEFAULT_BASE)
                    : UpstreamTarget.tenant(URI.create(configured), "config.base_url");
        });
    }
}
