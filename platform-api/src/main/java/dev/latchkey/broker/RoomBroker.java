package dev.latchkey.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;

import dev.latchkey.broker.spi.RoomName;
import dev.latchkey.broker.spi.RoomProfile;
import dev.latchkey.broker.spi.Rooms;
import dev.latchkey.credentials.CredentialChoice;
import dev.latchkey.credentials.CredentialService;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.credentials.StoredCredential;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Provider;
import dev.latchkey.kernel.Scope;
import dev.latchkey.ledger.BillableCredential;
import dev.latchkey.ledger.BillableRequest;
import dev.latchkey.ledger.Metered;
import dev.latchkey.ledger.MeteringService;
import dev.latchkey.web.RequestMetadata;
import tools.jackson.databind.JsonNode;

/**
 * Rooms at the provider named by {@code X-Provider} (default daily): a created room is billed
 * through the one metering path ({@code room.create}); reading and deleting one uses the
 * credential without billing.
 */
@Service
class RoomBroker {

    private static final int DEFAULT_ROOM_TTL = 3600;
    private static final int MAX_ROOM_TTL = 86_400;

    private final Map<Provider, Rooms> rooms;
    private final CredentialService credentials;
    private final MeteringService metering;
    private final Clock clock;

    RoomBroker(List<Rooms> rooms, CredentialService credentials, MeteringService metering, Clock clock) {
        this.rooms = rooms.stream().collect(Collectors.toMap(Rooms::provider, Function.identity()));
        this.credentials = credentials;
        this.metering = metering;
        this.clock = clock;
    }

    /** {@code credential}: what {@code X-Credential-Id} may say instead (a stored credential's id, or {@code managed}). */
    record CreateRoom(String profile, String name, JsonNode overrides, Integer ttlSeconds, String credential) {
    }

    Metered<JsonNode> create(Caller caller, CreateRoom request, String providerHeader, String credentialHeader,
            String idempotencyKey, Supplier<String> fingerprint) {
        RoomProfile profile = RoomProfile.parse(request.profile() == null ? "conversation" : request.profile())
                .orElseThrow(() -> LatchkeyException.invalidField("profile", "must be one of "
                        + Arrays.stream(RoomProfile.values()).map(RoomProfile::id).toList()));
        if (request.name() != null && !request.name().matches(RoomName.PATTERN)) {
            throw LatchkeyException.invalidField("name", RoomName.RULE);
        }
        int ttl = request.ttlSeconds() == null ? DEFAULT_ROOM_TTL : request.ttlSeconds();
        if (ttl < 60 || ttl > MAX_ROOM_TTL) {
            throw LatchkeyException.invalidField("ttl_seconds", "must be between 60 and " + MAX_ROOM_TTL);
        }
        Rooms provider = rooms(providerHeader);
        Caller.ApiKey key = caller.require(Scope.ROOMS_WRITE);
        StoredCredential stored = credentials.resolve(key.orgId(), provider.provider(),
                TokenBroker.credentialChoice(credentialHeader, request.credential()));
        BillableCredential credential = BillableCredential.stored(stored, credentials);
        BillableRequest billable = new BillableRequest(key.orgId(), key.apiKeyId(), provider.provider(),
                "room.create", 1, null, RequestMetadata.current().requestId(), idempotencyKey,
                idempotencyKey == null ? null : fingerprint.get());
        return metering.meter(billable, credential, JsonNode.class, decrypted -> {
            try {
                return provider.create(decrypted, request.name(), profile, request.overrides(),
                        clock.instant().plus(Duration.ofSeconds(ttl)));
            } catch (RuntimeException failure) {
                throw stored.concealed(failure);
            }
        });
    }

    JsonNode get(Caller caller, String providerHeader, CredentialChoice choice, String name) {
        Rooms provider = rooms(providerHeader);
        return provider.get(credential(caller, provider, choice), roomName(name));
    }

    void delete(Caller caller, String providerHeader, CredentialChoice choice, String name) {
        Rooms provider = rooms(providerHeader);
        provider.delete(credential(caller, provider, choice), roomName(name));
    }

    private Rooms rooms(String header) {
        String id = header == null ? "daily" : header.trim();
        return Provider.parse(id).map(rooms::get).orElseThrow(() -> LatchkeyException.invalidField("X-Provider",
                "rooms are available for " + rooms.keySet().stream().map(Provider::id).sorted().toList()));
    }

    private DecryptedCredential credential(Caller caller, Rooms provider, CredentialChoice choice) {
        Caller.ApiKey key = caller.require(Scope.ROOMS_WRITE);
        return credentials.use(key, key.orgId(), provider.provider(), choice);
    }

    private static String roomName(String name) {
        if (!name.matches(RoomName.PATTERN)) {
            throw LatchkeyException.notFound("Room");
        }
        return name;
    }
}
