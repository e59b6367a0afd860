package dev.latchkey.broker;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/** A provider token ready for a client: never stored, never logged. */
public record MintedToken(String token, Instant expiresAt, String url, JsonNode session) {

    @Override
    public String toString() {
        return "MintedToken[token=***, expiresAt=" + expiresAt + ", url=" + url + "]";
    }
}
