package dev.latchkey.broker.livekit;

import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;

import org.springframework.stereotype.Component;

import dev.latchkey.broker.MintedToken;
import dev.latchkey.broker.spi.MintContext;
import dev.latchkey.broker.spi.ProviderAdapter;
import dev.latchkey.broker.spi.UpstreamClient;
import dev.latchkey.broker.spi.UpstreamTarget;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.credentials.ProviderSettings;
import dev.latchkey.credentials.Verification;
import dev.latchkey.kernel.Provider;
import dev.latchkey.web.Problems;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * LiveKit access tokens, signed here (no upstream call): an HS256 JWT keyed with the API
 * secret, {@code iss} = API key, {@code sub} = identity, and the {@code video} grant built from
 * the request's {@code grants} after the policy merge. The TTL is short by default (the
 * policy's, not the SDKs' six hours).
 */
@Component
class LiveKitTokenMinter implements ProviderAdapter<LiveKitTokenRequest> {

    private static final TtlRange TTL = new TtlRange(600, 10, 86_400);
    /** The request's snake_case grant names and LiveKit's claim names (the components of {@link LiveKitGrants}). */
    private static final Map<String, String> CLAIMS = Arrays.stream(LiveKitGrants.class.getRecordComponents())
            .map(RecordComponent::getName).collect(Collectors.toUnmodifiableMap(Problems::jsonName, name -> name));

    private final UpstreamClient upstream;
    private final ProviderSettings settings;
    private final JsonMapper json;
    private final Clock clock;

    LiveKitTokenMinter(UpstreamClient upstream, ProviderSettings settings, JsonMapper json, Clock clock) {
        this.upstream = upstream;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Provider provider() {
        return Provider.LIVEKIT;
    }

    @Override
    public Class<LiveKitTokenRequest> requestType() {
        return LiveKitTokenRequest.class;
    }

    @Override
    public String policedObject() {
        return "grants";
    }

    /** Participants may shape their own media; admin, recording and hidden grants need the policy's leave. */
    @Override
    public List<String> defaultAllowedOverrides() {
        return List.of("can_publish", "can_subscribe", "can_publish_data", "can_publish_sources",
                "can_update_own_metadata");
    }

    @Override
    public TtlRange ttl() {
        return TTL;
    }

    /** The grants asked for, by their JSON names; null when the request names none. */
    @Override
    public JsonNode policed(LiveKitTokenRequest request) {
        return request.grants() == null ? null : json.valueToTree(request.grants());
    }

    @Override
    public MintedToken mint(MintContext<LiveKitTokenRequest> context) {
        LiveKitTokenRequest request = context.request();
        // JWT times are whole seconds; the expiry returned is exactly the token's.
        Instant issuedAt = context.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = issuedAt.plus(context.ttl());
        JWTCreator.Builder jwt = JWT.create()
                .withIssuer(context.credential().config().get("api_key"))
                .withSubject(request.identity())
                .withNotBefore(Date.from(issuedAt))
                .withExpiresAt(Date.from(expiresAt))
                .withClaim("video", videoGrant(request.room(), context.policed()));
        if (request.name() != null) {
            jwt.withClaim("name", request.name());
        }
        if (request.metadata() != null) {
            jwt.withClaim("metadata", request.metadata());
        }
        if (request.attributes() != null && !request.attributes().isEmpty()) {
            jwt.withClaim("attributes", Map.<String, Object>copyOf(request.attributes()));
        }
        String token = jwt.sign(Algorithm.HMAC256(context.credential().secret("api_secret").reveal()));
        return new MintedToken(token, expiresAt, context.credential().config().get("url"), null);
    }

    static Map<String, Object> videoGrant(String room, JsonNode grants) {
        Map<String, Object> video = new LinkedHashMap<>();
        video.put("roomJoin", true);
        video.put("room", room);
        for (Map.Entry<String, JsonNode> grant : grants.properties()) {
            String claim = CLAIMS.get(grant.getKey());
            if (grant.getValue().isArray()) {
                List<String> sources = new ArrayList<>();
                grant.getValue().forEach(source -> sources.add(source.asString()));
                video.put(claim, sources);
            } else {
                video.put(claim, grant.getValue().asBoolean());
            }
        }
        return video;
    }

    /**
     * Lists rooms through LiveKit's RoomService (Twirp over HTTPS) with a short-lived token that
     * only carries the {@code roomList} grant: a 200 proves the key and secret. The credential's
     * URL is a tenant's host: it is called only on public addresses, checked at connection time.
     */
    @Override
    public Verification verify(DecryptedCredential credential) {
        UpstreamTarget target = settings.baseUrl(Provider.LIVEKIT).map(UpstreamTarget::fixed)
                .orElseGet(() -> UpstreamTarget.tenant(URI.create(credential.config().get("url")
                        .replaceFirst("^wss://", "https://")), "config.url"));
        Instant now = clock.instant();
        String token = JWT.create().withIssuer(credential.config().get("api_key"))
                .withNotBefore(Date.from(now)).withExpiresAt(Date.from(now.plus(Duration.ofMinutes(1))))
                .withClaim("video", Map.of("roomList", true))
                .sign(Algorithm.HMAC256(credential.secret("api_secret").reveal()));
        UpstreamClient.UpstreamResponse response = upstream.send(Provider.LIVEKIT, target, HttpRequest.newBuilder(
                        target.resolve("/twirp/livekit.RoomService/ListRooms"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")), true);
        return response.ok() ? new Verification(true, "livekit accepted the credential")
                : new Verification(false, "livekit answered " + response.status());
    }
}
