package dev.latchkey.broker;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.kernel.Caller;
import dev.latchkey.ledger.BillableRequest;
import dev.latchkey.ledger.Metered;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code /v1/rooms}: rooms at the provider named by {@code X-Provider} (default daily). */
@RestController
class RoomsController {

    private final RoomBroker rooms;
    private final JsonMapper json;

    RoomsController(RoomBroker rooms, JsonMapper json) {
        this.rooms = rooms;
        this.json = json;
    }

    @PostMapping(path = "/v1/rooms", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JsonNode> create(@RequestBody RoomBroker.CreateRoom request,
            @RequestHeader(name = "X-Provider", required = false) String providerHeader,
            @RequestHeader(name = "X-Credential-Id", required = false) String credentialId,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        Metered<JsonNode> room = rooms.create(Caller.current(), request, providerHeader, credentialId, idempotencyKey,
                () -> BillableRequest.fingerprint("POST /v1/rooms", json.writeValueAsString(request), credentialId));
        return ResponseEntity.status(201).headers(headers -> room.headers().forEach(headers::set)).body(room.result());
    }

    @GetMapping(path = "/v1/rooms/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    JsonNode get(@PathVariable String name, @RequestHeader(name = "X-Provider", required = false) String providerHeader,
            @RequestHeader(name = "X-Credential-Id", required = false) String credentialId) {
        return rooms.get(Caller.current(), providerHeader, TokenBroker.credentialChoice(credentialId, null), name);
    }

    @DeleteMapping("/v1/rooms/{name}")
    ResponseEntity<Void> delete(@PathVariable String name,
            @RequestHeader(name = "X-Provider", required = false) String providerHeader,
            @RequestHeader(name = "X-Credential-Id", required = false) String credentialId) {
        rooms.delete(Caller.current(), providerHeader, TokenBroker.credentialChoice(credentialId, null), name);
        return ResponseEntity.noContent().build();
    }
}
