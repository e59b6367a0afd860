package dev.latchkey.broker.daily;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import dev.latchkey.broker.MintRequest;
import dev.latchkey.broker.spi.PrintableText;

/** A Daily meeting token request's own fields: the room, and the name and owner flag the token may carry. */
record DailyTokenRequest(
        @NotNull(message = ROOM_RULE) @Pattern(regexp = ROOM, message = ROOM_RULE) String room,
        @PrintableText(max = 100, message = "must be 1 to 100 printable characters") String userName,
        Boolean isOwner) {

    static final String ROOM = "[A-Za-z0-9_-]{1,128}";
    static final String ROOM_RULE = "must be 1 to 128 letters, digits, '_' or '-'";

    static DailyTokenRequest of(MintRequest request) {
        return new DailyTokenRequest(request.room(), request.userName(), request.isOwner());
    }
}
