package dev.latchkey.apikeys;

import java.util.Set;

/** The scopes a platform API key may carry. */
public final class ApiKeyScopes {

    public static final String TOKENS_MINT = "tokens:mint";
    public static final String SESSIONS_MINT = "sessions:mint";
    public static final String ROOMS_WRITE = "rooms:write";
    public static final String USAGE_READ = "usage:read";
    public static final String ADMIN = "admin";

    public static final Set<String> ALL = Set.of(TOKENS_MINT, SESSIONS_MINT, ROOMS_WRITE, USAGE_READ, ADMIN);

    private ApiKeyScopes() {
    }
}
