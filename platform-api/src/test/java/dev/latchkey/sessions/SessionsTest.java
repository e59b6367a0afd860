package dev.latchkey.sessions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.FakeUpstream;
import dev.latchkey.support.MeteredIntegrationTest;
import dev.latchkey.support.TestInfrastructure;
import tools.jackson.databind.JsonNode;

/**
 * Shared set-up of the session tests: an organization with a provider credential and an app
 * key that mints session tokens, and a browser that holds nothing but the token. Metered, as
 * proxied calls are billed.
 */
abstract class SessionsTest extends MeteredIntegrationTest {

    /** An offer as a browser's RTCPeerConnection makes it (abridged). */
    static final String OFFER = "v=0\r\n"
            + "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
            + "s=-\r\n"
            + "t=0 0\r\n"
            + "a=group:BUNDLE 0 1\r\n"
            + "a=msid-semantic: WMS\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\n"
            + "c=IN IP4 0.0.0.0\r\n"
            + "a=rtcp:9 IN IP4 0.0.0.0\r\n"
            + "a=ice-ufrag:8hhY\r\n"
            + "a=ice-pwd:asd88fgpdd777uzjYhagZg\r\n"
            + "a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F\r\n"
            + "a=setup:actpass\r\n"
            + "a=mid:0\r\n"
            + "a=sendrecv\r\n"
            + "a=rtpmap:111 opus/48000/2\r\n"
            + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
            + "c=IN IP4 0.0.0.0\r\n"
            + "a=mid:1\r\n"
            + "a=sctp-port:5000\r\n";
    static final String OPENAI_KEY = "sk-test-openai-sessions-00000000000001";
    static final String OPENAI_CALLS = "/openai/v1/realtime/calls";

    protected final FakeUpstream upstream = FakeUpstream.get();

    /** An organization ready for session tokens: its owner, an app with a sessions:mint key, the key. */
    protected record Tenant(SignedUp owner, ApiClient app, IssuedKey key) {
        String path(String suffix) {
            return "/v1/orgs/" + owner.orgId() + suffix;
        }
    }

    protected Tenant tenantWith(Map<String, Object> credential) {
        SignedUp owner = signUp();
        ApiClient.Response created = owner.client().post("/v1/orgs/" + owner.orgId() + "/credentials", credential);
        if (created.status() != 201) {
            throw new AssertionError("credential creation failed: " + created);
        }
        IssuedKey key = issueApiKey(owner, "sessions:mint");
        return new Tenant(owner, client().bearer(key.key()), key);
    }

    protected Tenant openAiTenant() {
        return tenantWith(Map.of("provider", "openai", "label", "openai", "secret", Map.of("api_key", OPENAI_KEY)));
    }

    /** Mints a session token through the app's backend and returns the whole answer. */
    protected static JsonNode mint(ApiClient app, Map<String, Object> request) {
        ApiClient.Response response = app.post("/v1/realtime/sessions", request);
        if (response.status() != 200) {
            throw new AssertionError("minting a session token failed: " + response);
        }
        return response.json();
    }

    protected static String mintToken(Tenant tenant, String provider) {
        return mint(tenant.app(), Map.of("provider", provider)).get("token").asString();
    }

    /** A browser: no cookies to speak of, no CSRF token, nothing but what the page gives it. */
    protected ApiClient browser() {
        return client().withoutCsrf();
    }

    /** The browser's {@code POST /v1/realtime/calls} with the token and a body of a content type. */
    protected static ApiClient.Response offer(ApiClient browser, String token, String body, String contentType,
            String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + token;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return browser.send("POST", "/v1/realtime/calls", body, contentType, all);
    }

    protected static ApiClient.Response offer(ApiClient browser, String token) {
        return offer(browser, token, OFFER, "application/sdp");
    }

    /** Latchkey's call id from a 201's {@code Location: /v1/realtime/calls/{id}}. */
    protected static UUID callId(ApiClient.Response created) {
        String location = created.header("Location");
        if (location == null || !location.startsWith("/v1/realtime/calls/")) {
            throw new AssertionError("no call Location in " + created.status() + " " + created.headers());
        }
        return UUID.fromString(location.substring("/v1/realtime/calls/".length()));
    }

    protected static void sql(String statement, Object... parameters) {
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement prepared = connection.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                prepared.setObject(i + 1, parameters[i]);
            }
            prepared.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
