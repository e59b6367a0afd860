package dev.latchkey.broker.openai;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import dev.latchkey.broker.CallAnswer;
import dev.latchkey.broker.HangupResult;
import dev.latchkey.broker.MintedToken;
import dev.latchkey.broker.spi.Sessions;
import dev.latchkey.broker.spi.MintContext;
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
 * OpenAI Realtime (GA): {@code POST /v1/realtime/client_secrets} with the org's key as a bearer
 * token, {@code {"expires_after": {"anchor": "created_at", "seconds": N}, "session": {...}}};
 * the answer's {@code value} is the ephemeral key. The one place that knows this wire format,
 * shared by Azure OpenAI, whose v1 API takes the same body.
 */
@Component
public class OpenAiRealtime implements ProviderAdapter<OpenAiTokenRequest> {

    static final URI DEFAULT_BASE = URI.create("https://api.openai.com");
    private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}");
    private static final TtlRange TTL = new TtlRange(600, 10, 7200);

    private final UpstreamClient upstream;
    private final ProviderSettings settings;
    private final JsonMapper json;

    OpenAiRealtime(UpstreamClient upstream, ProviderSettings settings, JsonMapper json) {
        this.upstream = upstream;
        this.settings = settings;
        this.json = json;
    }

    @Override
    public Provider provider() {
        return Provider.OPENAI;
    }

    @Override
    public Class<OpenAiTokenRequest> requestType() {
        return OpenAiTokenRequest.class;
    }

    @Override
    public TtlRange ttl() {
        return TTL;
    }

    @Override
    public JsonNode policed(OpenAiTokenRequest request) {
        return request.session();
    }

    @Override
    public MintedToken mint(MintContext<OpenAiTokenRequest> context) {
        URI base = settings.baseUrl(Provider.OPENAI).orElse(DEFAULT_BASE);
        HttpRequest.Builder request = authorized(HttpRequest.newBuilder(
                UpstreamClient.resolve(base, "/v1/realtime/client_secrets")), context.credential());
        return clientSecret(upstream, json, Provider.OPENAI, UpstreamTarget.fixed(base), request, context,
                UpstreamClient.resolve(base, "/v1/realtime/calls").toString());
    }

    /** The org's key as a bearer token, with its organization and project headers when configured. */
    static HttpRequest.Builder authorized(HttpRequest.Builder request, DecryptedCredential credential) {
        request.header("Authorization", "Bearer " + credential.secret("api_key").reveal());
        credential.config().forEach((name, value) -> {
            if (name.equals("organization")) {
                request.header("OpenAI-Organization", value);
            } else if (name.equals("project")) {
                request.header("OpenAI-Project", value);
            }
        });
        return request;
    }

    static URI base(ProviderSettings settings) {
        return settings.baseUrl(Provider.OPENAI).orElse(DEFAULT_BASE);
    }

    /**
     * Reads the answer of a calls endpoint shared by OpenAI and Azure OpenAI: 201 with the SDP
     * answer as the body and {@code Location: .../realtime/calls/{call_id}}.
     *
     * @param callIdRequired whether a missing or unusable {@code Location} makes the answer malformed
     */
    public static CallAnswer callAnswer(JsonMapper json, Provider provider,
            UpstreamClient.UpstreamResponse response, boolean callIdRequired) {
        if (!response.ok()) {
            throw UpstreamClient.refused(provider, response, errorCode(readJsonQuietly(json, response)));
        }
        String sdp = new String(response.body(), StandardCharsets.UTF_8);
        if (!sdp.startsWith("v=0")) {
            throw UpstreamClient.malformed(provider);
        }
        String callId = callId(response.header("Location"));
        if (callId == null && callIdRequired) {
            throw UpstreamClient.malformed(provider);
        }
        return new CallAnswer(sdp, callId);
    }

    /** The call id of a {@code Location} such as {@code /v1/realtime/calls/rtc_123}, or null. */
    static String callId(String location) {
        if (location == null) {
            return null;
        }
        String path = location.contains("?") ? location.substring(0, location.indexOf('?')) : location;
        String id = path.substring(path.lastIndexOf('/') + 1);
        return path.contains("/calls/") && CALL_ID.matcher(id).matches() ? id : null;
    }

    /** A hang-up's answer: 2xx ended it, 404 means the provider no longer knows the call. */
    public static HangupResult hangupResult(JsonMapper json, Provider provider,
            UpstreamClient.UpstreamResponse response) {
        if (response.ok()) {
            return HangupResult.ENDED;
        }
        if (response.status() == 404) {
            return HangupResult.NOT_FOUND;
        }
        throw UpstreamClient.refused(provider, response, errorCode(readJsonQuietly(json, response)));
    }

    /**
     * Sends the client-secret request shared by OpenAI and Azure OpenAI and reads the answer.
     * The session defaults to {@code "type": "realtime"}, as the API requires a type.
     */
    public static MintedToken clientSecret(UpstreamClient upstream, JsonMapper json, Provider provider,
            UpstreamTarget target, HttpRequest.Builder request, MintContext<?> context, String callsUrl) {
        ObjectNode session = Sessions.withDefault(context.policed(), "type", "realtime");
        ObjectNode body = json.createObjectNode();
        body.putObject("expires_after").put("anchor", "created_at").put("seconds", context.ttl().toSeconds());
        body.set("session", session);
        request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        UpstreamClient.UpstreamResponse response = upstream.send(provider, target, request, false);
        JsonNode answer = readJson(json, provider, response);
        if (!response.ok()) {
            throw UpstreamClient.refused(provider, response, errorCode(answer));
        }
        JsonNode value = answer == null ? null : answer.get("value");
        JsonNode expiresAt = answer == null ? null : answer.get("expires_at");
        if (value == null || !value.isString() || expiresAt == null || !expiresAt.canConvertToLong()) {
            throw UpstreamClient.malformed(provider);
        }
        return new MintedToken(value.asString(), Instant.ofEpochSecond(expiresAt.asLong()), callsUrl,
                answer.get("session"));
    }

    /** Checks a key with {@code GET /v1/models}, the cheapest authenticated call. */
    @Override
    public Verification verify(DecryptedCredential credential) {
        URI base = settings.baseUrl(Provider.OPENAI).orElse(DEFAULT_BASE);
        return verifyWith(upstream, json, Provider.OPENAI, UpstreamTarget.fixed(base),
                HttpRequest.newBuilder(UpstreamClient.resolve(base, "/v1/models"))
                .header("Authorization", "Bearer " + credential.secret("api_key").reveal()).GET());
    }

    public static Verification verifyWith(UpstreamClient upstream, JsonMapper json, Provider provider,
            UpstreamTarget target, HttpRequest.Builder request) {
        UpstreamClient.UpstreamResponse response = upstream.send(provider, target, request, true);
        if (response.ok()) {
            return new Verification(true, provider + " accepted the credential");
        }
        String code = errorCode(readJsonQuietly(json, response));
        return new Verification(false, provider + " answered " + response.status() + (code == null ? "" : " (" + code + ")"));
    }

    /** OpenAI-style errors: {@code {"error": {"message", "type", "param", "code"}}}. */
    static String errorCode(JsonNode answer) {
        JsonNode error = answer == null ? null : answer.get("error");
        if (error == null || !error.isObject()) {
            return null;
        }
        JsonNode code = error.get("code");
        if (code != null && code.isString()) {
            return code.asString();
        }
        JsonNode type = error.get("type");
        return type != null && type.isString() ? type.asString() : null;
    }

    static JsonNode readJson(JsonMapper json, Provider provider, UpstreamClient.UpstreamResponse response) {
        try {
            return response.body().length == 0 ? null : json.readTree(response.body());
        } catch (JacksonException e) {
            if (response.ok()) {
                throw UpstreamClient.malformed(provider);
            }
            return null;
        }
    }

    static JsonNode readJsonQuietly(JsonMapper json, UpstreamClient.UpstreamResponse response) {
        try {
            return response.body().length == 0 ? null : json.readTree(response.body());
        } catch (JacksonException e) {
            return null;
        }
    }
}
