package dev.latchkey.broker.livekit;

import java.util.Map;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.latchkey.broker.MintRequest;
import dev.latchkey.broker.spi.PrintableText;

/**
 * A LiveKit access token request's own fields: the room, who joins it ({@code identity}, an
 * optional display {@code name}), and what the token carries for the application
 * ({@code metadata}, {@code attributes}). The {@code grants} object is checked by the minter.
 */
record LiveKitTokenRequest(
        @NotNull(message = ROOM_RULE) @Pattern(regexp = ROOM, message = ROOM_RULE) String room,
        @NotNull(message = IDENTITY_RULE) @PrintableText(max = 128, message = IDENTITY_RULE) String identity,
        @PrintableText(max = 128, blank = true, message = "must be at most 128 printable characters") String name,
        @Size(max = MAX_METADATA, message = "must be at most " + MAX_METADATA + " characters") String metadata,
        @Size(max = MAX_ATTRIBUTES, message = "must have at most " + MAX_ATTRIBUTES + " entries")
        Map<@Size(min = 1, max = 64, message = ATTRIBUTE_RULE) String,
                @NotNull(message = ATTRIBUTE_RULE) @Size(max = 1024, message = ATTRIBUTE_RULE) String> attributes) {

    static final String ROOM = "[A-Za-z0-9_-]{1,128}";
    static final String ROOM_RULE = "must be 1 to 128 letters, digits, '_' or '-'";
    static final String IDENTITY_RULE = "must be 1 to 128 printable characters";
    static final String ATTRIBUTE_RULE = "keys must be 1 to 64 characters and values at most 1024";
    static final int MAX_METADATA = 4096;
    static final int MAX_ATTRIBUTES = 32;

    static LiveKitTokenRequest of(MintRequest request) {
        return new LiveKitTokenRequest(request.room(), request.identity(), request.name(), request.metadata(),
                request.attributes());
    }
}
