package dev.latchkey.accounts;

import java.util.Optional;

/**
 * Bearer secrets handed to people (invitation tokens), made and stored like platform keys:
 * 256 random bits with a checksum, kept only as an HMAC under the server's pepper. Implemented
 * where the pepper lives ({@code apikeys}), so this capability holds no second copy of it.
 */
public interface SecretTokens {

    /** A new random token of the family {@code prefix}. */
    String generate(String prefix);

    /** The token when it is well formed for {@code prefix} (length, alphabet, checksum); empty otherwise. */
    Optional<String> parse(String prefix, String candidate);

    /** The peppered hash to store and look the token up by. */
    byte[] hash(String token);
}
