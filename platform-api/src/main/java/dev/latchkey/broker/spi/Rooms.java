package dev.latchkey.broker.spi;

import java.time.Instant;

import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.kernel.Provider;
import tools.jackson.databind.JsonNode;

/** A provider's room API: create from a profile, read, delete. */
public interface Rooms {

    Provider provider();

    /** Creates the room and answers the provider's room object. */
    JsonNode create(DecryptedCredential credential, String name, RoomProfile profile, JsonNode overrides,
            Instant expiresAt);

    JsonNode get(DecryptedCredential credential, String name);

    void delete(DecryptedCredential credential, String name);
}
