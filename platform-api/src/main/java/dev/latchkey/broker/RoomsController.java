package dev.latchkey.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.apikeys.ApiKeyScopes;
import dev.latchkey.credentials.CredentialService;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.credentials.Provider;
import dev.latchkey.ledger.BillableRequest;
import dev.latchkey.ledger.CredentialSource;
import dev.latchkey.ledger.Metered;
import dev.latchkey.ledger.MeteringService;
import dev.latchkey.web.Caller;
import dev.latchkey.web.LatchkeyException;
import dev.latchkey.web.RequestMetadata;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code /v1/rooms}: rooms at the provider named by {@code X-Provider} (default daily). */
@RestController
class RoomsController {

    private static final int DEFAULT_ROOM_TTL = 3600;
    private static final int MAX_ROOM_TTL = 86_400;

    private final Map<Provider, Rooms> rooms;
    private final CredentialService credentials;
    private final MeteringService metering;
    private final JsonMapper json;
    private final Clock clock;

    RoomsController(List<Rooms> rooms, CredentialService credentials, MeteringService metering, JsonMapper json,
            Clock clock) {
        this.metering = metering;
        this.json = json;
        this.rooms = rooms.stream().collect(Collectors.toMap(Rooms::provider, Function.identity()));
        this.credentials = credentials;
        this.clock = clock;
    }

    record CreateRoom(String profile, String name, JsonNode overrides, Integer ttlSeconds) {
    }

    @PostMapping(path = "/v1/rooms", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JsonNode> create(@RequestBody CreateRoom request,
            @RequestHeader(name = "X-Provider", required = false) String providerHeader,
            @RequestHeader(name = "X-Credential-Id", required = false) String credentialId,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        RoomProfile profile = RoomProfile.parse(request.profile() == null ? "conversation" : request.profile())
                .orElseThrow(() -> LatchkeyException.invalidField("profile", "must be one of "
                        + Arrays.stream(RoomProfile.values()).map(RoomProfile::id).toList()));
        if (request.name() != null && !request.name().matches("[A-Za-z0-9_-]{1,128}")) {
            throw LatchkeyException.invalidField("name", "must be 1 to 128 letters, digits, '_' or '-'");
        }
        int ttl = request.ttlSeconds() == null ? DEFAULT_ROOM_TTL : request.ttlSeconds();
        if (ttl < 60 || ttl > MAX_ROOM_TTL) {
            throw LatchkeyException.invalidField("ttl_seconds", "must be between 60 and " + MAX_ROOM_TTL);
        }
        Rooms provider = rooms(providerHeader);
        Caller.ApiKey key = TokenBroker.requireScope(Caller.current(), ApiKeyScopes.ROOMS_WRITE);
        Optional<UUID> chosen = TokenBroker.credentialIdHeader(credentialId);
        UUID storedId = credentials.resolve(key.orgId(), provider.provider(), chosen);
        TokenBroker.Idempotency idempotency = TokenBroker.Idempotency.of(idempotencyKey, "POST /v1/rooms",
                json.writeValueAsString(request), credentialId, false);
        Metered<JsonNode> room = metering.meter(new BillableRequest(key.orgId(), key.apiKeyId(), storedId,
                CredentialSource.OWN, provider.provider(), "room.create", 1, null, RequestMetadata.current().requestId(),
                idempotency == null ? null : idempotency.key(), idempotency == null ? null : idempotency.fingerprint()),
                JsonNode.class, () -> provider.create(credentials.use(key, key.orgId(), provider.provider(),
                        Optional.of(storedId)), request.name(), profile, request.overrides(),
                        clock.instant().plus(Duration.ofSeconds(ttl))));
        return ResponseEntity.status(201).headers(headers -> room.headers().forEach(headers::set)).body(room.result());
    }

    @GetMapping(path = "/v1/rooms/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    JsonNode get(@PathVariable String name, @RequestHeader(name = "X-Provider", required = false) String providerHeader,
            @RequestHeader(name = "X-Credential-Id", required = false) String credentialId) {
        Rooms provider = rooms(providerHeader);
        return provider.get(credential(provider, credentialId), roomName(name));
    }

    @DeleteMapping("/v1/rooms/{name}")
    ResponseEntity<Void> delete(@PathVariable String name,
            @RequestHeader(name = "X-Provider", required = false) String providerHeader,
            @RequestHeader(name = "X-Credential-Id", required = false) String credentialId) {
        Rooms provider = rooms(providerHeader);
        provider.delete(credential(provider, credentialId), roomName(name));
        return ResponseEntity.noContent().build();
    }

    private Rooms rooms(String header) {
        String id = header == null ? "daily" : header.trim();
        return Provider.parse(id).map(rooms::get).orElseThrow(() -> LatchkeyException.invalidField("X-Provider",
                "rooms are available for " + rooms.keySet().stream().map(Provider::id).sorted().toList()));
    }

    private DecryptedCredential credential(Rooms provider, String credentialId) {
        Caller.ApiKey key = TokenBroker.requireScope(Caller.current(), ApiKeyScopes.ROOMS_WRITE);
        return credentials.use(key, key.orgId(), provider.provider(), TokenBroker.credentialIdHeader(credentialId));
    }

    private static String roomName(String name) {
        if (!name.matches("[A-Za-z0-9_-]{1,128}")) {
            throw LatchkeyException.notFound("Room");
        }
        return name;
    }
}
