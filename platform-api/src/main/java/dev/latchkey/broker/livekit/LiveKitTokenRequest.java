package dev.latchkey.broker.livekit;

import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.latchkey.broker.TokenRequest;
import dev.latchkey.broker.spi.RoomName;
import dev.latchkey.kernel.EndUser;
import dev.latchkey.kernel.PrintableText;

/**
 * A LiveKit access token request: the room, who joins it ({@code identity}, an optional display
 * {@code name}), what the token carries for the application ({@code metadata}, {@code attributes})
 * and the {@code grants} the client asks for (the organization's policy decides which it may set),
 * besides the common fields.
 */
public record LiveKitTokenRequest(String provider, Integer ttlSeconds, @EndUser.Id String endUser,
        @RoomName String room,
        @NotNull(message = IDENTITY_RULE) @PrintableText(max = 128, message = IDENTITY_RULE) String identity,
        @PrintableText(max = 128, blank = true, message = "must be at most 128 printable characters") String name,
        @Size(max = MAX_METADATA, message = "must be at most " + MAX_METADATA + " characters") String metadata,
        @Size(max = MAX_ATTRIBUTES, message = "must have at most " + MAX_ATTRIBUTES + " entries")
        Map<@Size(min = 1, max = 64, message = ATTRIBUTE_RULE) String,
                @NotNull(message = ATTRIBUTE_RULE) @Size(max = 1024, message = ATTRIBUTE_RULE) String> attributes,
        @Valid LiveKitGrants grants, String credential) implements TokenRequest {

    static final String IDENTITY_RULE = "must be 1 to 128 printable characters";
    static final String ATTRIBUTE_RULE = "keys must be 1 to 64 characters and values at most 1024";
    static final int MAX_METADATA = 4096;
    static final int MAX_ATTRIBUTES = 32;
}
