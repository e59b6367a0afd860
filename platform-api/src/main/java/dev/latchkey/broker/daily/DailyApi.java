package dev.latchkey.broker.daily;

import java.net.URI;
import java.net.http.HttpRequest;

import org.springframework.stereotype.Component;

import dev.latchkey.broker.spi.UpstreamClient;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.credentials.ProviderSettings;
import dev.latchkey.kernel.Provider;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Daily's REST API ({@code https://api.daily.co/v1}, {@code Authorization: Bearer <key>}); errors
 * read {@code {"error": "<type>", "info": "<text>"}}. The one place that speaks it.
 */
@Component
class DailyApi {

    static final URI DEFAULT_BASE = URI.create("https://api.daily.co/v1");

    private final UpstreamClient upstream;
    private final ProviderSettings settings;
    private final JsonMapper json;

    DailyApi(UpstreamClient upstream, ProviderSettings settings, JsonMapper json) {
        this.upstream = upstream;
        this.settings = settings;
        this.json = json;
    }

    /** A Daily answer: its status and JSON body (null when empty). */
    record Answer(int status, JsonNode body, UpstreamClient.UpstreamResponse response) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    Answer post(DecryptedCredential credential, String path, JsonNode body) {
        return call(credential, path, HttpRequest.newBuilder().header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))), false);
    }

    Answer get(DecryptedCredential credential, String path) {
        return call(credential, path, HttpRequest.newBuilder().GET(), true);
    }

    Answer delete(DecryptedCredential credential, String path) {
        return call(credential, path, HttpRequest.newBuilder().DELETE(), true);
    }

    JsonMapper json() {
        return json;
    }

    private Answer call(DecryptedCredential credential, String path, HttpRequest.Builder request, boolean idempotent) {
        URI base = settings.baseUrl(Provider.DAILY).orElse(DEFAULT_BASE);
        request.uri(UpstreamClient.resolve(base, path))
                .header("Authorization", "Bearer " + credential.secret("api_key").reveal());
        UpstreamClient.UpstreamResponse response = upstream.send(Provider.DAILY, request, idempotent);
        JsonNode body;
        try {
            body = response.body().length == 0 ? null : json.readTree(response.body());
        } catch (JacksonException e) {
            if (response.ok()) {
                throw UpstreamClient.malformed(Provider.DAILY);
            }
            body = null;
        }
        return new Answer(response.status(), body, response);
    }

    /** The problem for a Daily refusal, naming its error type (never its info text). */
    static RuntimeException refused(Answer answer) {
        JsonNode error = answer.body() == null ? null : answer.body().get("error");
        return UpstreamClient.refused(Provider.DAILY, answer.response(),
                error != null && error.isString() ? error.asString() : null);
    }
}
