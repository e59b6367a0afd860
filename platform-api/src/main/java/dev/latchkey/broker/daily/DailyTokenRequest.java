package dev.latchkey.broker.daily;

import dev.latchkey.broker.TokenRequest;
import dev.latchkey.broker.spi.RoomName;
import dev.latchkey.kernel.EndUser;
import dev.latchkey.kernel.PrintableText;

/**
 * A Daily meeting token request: the room, and the name and owner flag the token may carry (the
 * two the organization's policy governs), besides the common fields.
 */
public record DailyTokenRequest(String provider, Integer ttlSeconds, @EndUser.Id String endUser, @RoomName String room,
        @PrintableText(max = 100, message = "must be 1 to 100 printable characters") String userName,
        Boolean isOwner, String credential) implements TokenRequest {
}
