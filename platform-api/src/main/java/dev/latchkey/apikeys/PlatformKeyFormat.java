package dev.latchkey.apikeys;

import java.security.SecureRandom;
import java.util.Optional;

import dev.latchkey.kernel.SecretTokenFormat;

/** Platform API keys: {@code platform_} secrets whose first random characters are their public lookup id. */
final class PlatformKeyFormat {

    static final String PREFIX = "platform_";
    static final SecretTokenFormat FORMAT = new SecretTokenFormat(PREFIX);
    static final int LENGTH = FORMAT.length();
    /** The public part of the random characters: the lookup id shown in listings. */
    static final int LOOKUP_LENGTH = 12;

    private PlatformKeyFormat() {
    }

    /** A well-formed key: its lookup id and its display prefix. */
    record ParsedKey(String key, String lookupId) {
        String displayPrefix() {
            return PREFIX + lookupId;
        }

        @Override
        public String toString() {
            return "ParsedKey[prefix=" + displayPrefix() + ", key=***]";
        }
    }

    static ParsedKey generate(SecureRandom random) {
        return parse(FORMAT.generate(random)).orElseThrow();
    }

    /** Parses a key by its form alone; empty when the length, alphabet or checksum is wrong. */
    static Optional<ParsedKey> parse(String candidate) {
        return FORMAT.parse(candidate).map(key -> new ParsedKey(key,
                key.substring(PREFIX.length(), PREFIX.length() + LOOKUP_LENGTH)));
    }

    static boolean looksLikePlatformKey(String token) {
        return FORMAT.claims(token);
    }

    static String checksum(CharSequence body) {
        return SecretTokenFormat.checksum(body);
    }
}
