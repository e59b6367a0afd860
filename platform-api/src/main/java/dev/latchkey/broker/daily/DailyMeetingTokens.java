package dev.latchkey.broker.daily;

import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Component;

import dev.latchkey.broker.MintedToken;
import dev.latchkey.broker.spi.MintContext;
import dev.latchkey.broker.spi.ProviderAdapter;
import dev.latchkey.broker.spi.UpstreamClient;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.credentials.Verification;
import dev.latchkey.kernel.Provider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Daily meeting tokens ({@code POST /meeting-tokens}). A Daily token without {@code room_name}
 * opens every room of the domain and one without {@code exp} never expires: Latchkey always
 * sets both.
 */
@Component
class DailyMeetingTokens implements ProviderAdapter<DailyTokenRequest> {

    private static final TtlRange TTL = new TtlRange(3600, 10, 86_400);

    private final DailyApi daily;

    DailyMeetingTokens(DailyApi daily) {
        this.daily = daily;
    }

    @Override
    public Provider provider() {
        return Provider.DAILY;
    }

    @Override
    public Class<DailyTokenRequest> requestType() {
        return DailyTokenRequest.class;
    }

    /** The client-settable token properties are top-level request fields. */
    @Override
    public String policedObject() {
        return "";
    }

    /** Owners can eject and record: a client may become one only where the policy allows it. */
    @Override
    public List<String> defaultAllowedOverrides() {
        return List.of("user_name");
    }

    @Override
    public TtlRange ttl() {
        return TTL;
    }

    @Override
    public JsonNode policed(DailyTokenRequest request) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        if (request.userName() != null) {
            fields.put("user_name", request.userName());
        }
        if (request.isOwner() != null) {
            fields.put("is_owner", request.isOwner());
        }
        return fields;
    }

    @Override
    public MintedToken mint(MintContext<DailyTokenRequest> context) {
        long exp = context.now().plus(context.ttl()).getEpochSecond();
        ObjectNode body = daily.json().createObjectNode();
        ObjectNode properties = body.putObject("properties");
        properties.put("room_name", context.request().room());
        properties.put("exp", exp);
        properties.put("eject_at_token_exp", true);
        properties.setAll(context.policed());
        DailyApi.Answer answer = daily.post(context.credential(), "/meeting-tokens", body);
        if (!answer.ok()) {
            throw DailyApi.refused(answer);
        }
        JsonNode token = answer.body() == null ? null : answer.body().get("token");
        if (token == null || !token.isString()) {
            throw UpstreamClient.malformed(Provider.DAILY);
        }
        return new MintedToken(token.asString(), Instant.ofEpochSecond(exp),
                roomUrl(context.credential(), context.request().room()), null);
    }

    /** {@code GET /rooms?limit=1}: an authenticated read that creates nothing. */
    @Override
    public Verification verify(DecryptedCredential credential) {
        DailyApi.Answer answer = daily.get(credential, "/rooms?limit=1");
        return answer.ok() ? new Verification(true, "daily accepted the credential")
                : new Verification(false, "daily answered " + answer.status());
    }

    static String roomUrl(DecryptedCredential credential, String room) {
        String domain = credential.config().get("domain");
        return domain == null ? null : "https://" + domain + ".daily.co/" + room;
    }
}
