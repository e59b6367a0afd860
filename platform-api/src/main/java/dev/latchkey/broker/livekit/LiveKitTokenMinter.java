package dev.latchkey.broker.livekit;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;

import org.springframework.stereotype.Component;

import dev.latchkey.broker.spi.MintContext;
import dev.latchkey.broker.MintRequest;
import dev.latchkey.broker.MintedToken;
import dev.latchkey.broker.spi.ProviderAdapter;
import dev.latchkey.broker.spi.UpstreamClient;
import dev.latchkey.broker.spi.UpstreamTarget;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.credentials.ProviderSettings;
import dev.latchkey.credentials.Verification;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Provider;
import tools.jackson.databind.JsonNode;

/**
 * LiveKit access tokens, signed here (no upstream call): an HS256 JWT keyed with the API
 * secret, {@code iss} = API key, {@code sub} = identity, and the {@code video} grant built from
 * the request's {@code grants} after the policy merge. The TTL is short by default (the
 * policy's, not the SDKs' six hours).
 */
@Component
class LiveKitTokenMinter implements ProviderAdapter {

    private static final TtlRange TTL = new TtlRange(600, 10, 86_400);
    /** The request's snake_case grant names and LiveKit's claim names. */
    private static final Map<String, String> GRANTS = Map.ofEntries(
            Map.entry("can_publish", "canPublish"), Map.entry("can_subscribe", "canSubscribe"),
            Map.entry("can_publish_data", "canPublishData"), Map.entry("can_publish_sources", "canPublishSources"),
            Map.entry("can_update_own_metadata", "canUpdateOwnMetadata"), Map.entry("hidden", "hidden"),
            Map.entry("room_admin", "roomAdmin"), Map.entry("room_record", "roomRecord"),
            Map.entry("room_create", "roomCreate"), Map.entry("room_list", "roomList"),
            Map.entry("ingress_admin", "ingressAdmin"), Map.entry("recorder", "recorder"), Map.entry("agent", "agent"));
    private static final Set<String> SOURCES = Set.of("camera", "microphone", "screen_share", "screen_share_audio");

    private final UpstreamClient upstream;
    private final ProviderSettings settings;
    private final Clock clock;

    LiveKitTokenMinter(UpstreamClient upstream, ProviderSettings settings, Clock clock) {
        this.upstream = upstream;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Provider provider() {
        return Provider.LIVEKIT;
    }

    @Override
    public Set<String> requestFields() {
        return Set.of("room", "identity", "name", "metadata", "attributes", "grants");
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

    @Override
    public JsonNode policed(MintRequest request) {
        return request.grants();
    }

    @Override
    public Record request(MintRequest request) {
        return LiveKitTokenRequest.of(request);
    }

    /** The grants are a JSON object of known names: checked here, the other fields by {@link LiveKitTokenRequest}. */
    @Override
    public void validate(MintRequest request) {
        JsonNode grants = request.grants();
        if (grants == null || grants.isNull()) {
            return;
        }
        if (!grants.isObject()) {
            throw LatchkeyException.invalidField("grants", "must be an object");
        }
        for (Map.Entry<String, JsonNode> grant : grants.properties()) {
            String field = "grants." + grant.getKey();
            if (!GRANTS.containsKey(grant.getKey())) {
                throw LatchkeyException.invalidField(field, "is not a LiveKit grant; known grants are "
                        + GRANTS.keySet().stream().sorted().toList());
            }
            if (grant.getKey().equals("can_publish_sources")) {
                if (!grant.getValue().isArray()) {
                    throw LatchkeyException.invalidField(field, "must be a list of " + SOURCES);
                }
                grant.getValue().forEach(source -> {
                    if (!source.isString() || !SOURCES.contains(source.asString())) {
                        throw LatchkeyException.invalidField(field, "must be a list of " + SOURCES);
                    }
                });
            } else if (!grant.getValue().isBoolean()) {
                throw LatchkeyException.invalidField(field, "must be true or false");
            }
        }
    }

    @Override
    public MintedToken mint(MintContext context) {
        MintRequest request = context.request();
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
            String claim = GRANTS.get(grant.getKey());
            if (grant.getValue().isArray()) {
                List<String> sources = new java.util.ArrayList<>();
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
