package dev.latchkey.apikeys;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * {@code platform_} + 43 base62 characters of randomness (256 bits) + a 6-character base62
 * CRC32 of everything before it, so a mistyped or truncated key is refused without a lookup
 * and secret scanners can recognize a real key.
 */
final class PlatformKeyFormat {

    static final String PREFIX = "platform_";
    static final int RANDOM_LENGTH = 43;
    static final int CHECKSUM_LENGTH = 6;
    static final int LENGTH = PREFIX.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;
    /** The public part of the random characters: the lookup id shown in listings. */
    static final int LOOKUP_LENGTH = 12;
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private PlatformKeyFormat() {
    }

    /** A well-formed key: its lookup id and its display prefix. */
    record ParsedKey(String key, String lookupId) {
        String displayPrefix() {
            return PREFIX + lookupId;
        }
    }

    static ParsedKey generate(SecureRandom random) {
        StringBuilder key = new StringBuilder(LENGTH).append(PREFIX);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            key.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        key.append(checksum(key));
        return parse(key.toString()).orElseThrow();
    }

    /** Parses a key by its form alone; empty when the length, alphabet or checksum is wrong. */
    static Optional<ParsedKey> parse(String candidate) {
        if (candidate == null || candidate.length() != LENGTH || !candidate.startsWith(PREFIX)) {
            return Optional.empty();
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (BASE62.indexOf(candidate.charAt(i)) < 0) {
                return Optional.empty();
            }
        }
        CharSequence body = candidate.subSequence(0, LENGTH - CHECKSUM_LENGTH);
        if (!checksum(body).equals(candidate.substring(LENGTH - CHECKSUM_LENGTH))) {
            return Optional.empty();
        }
        return Optional.of(new ParsedKey(candidate,
                candidate.substring(PREFIX.length(), PREFIX.length() + LOOKUP_LENGTH)));
    }

    static boolean looksLikePlatformKey(String token) {
        return token.startsWith(PREFIX);
    }

    static String checksum(CharSequence body) {
        CRC32 crc = new CRC32();
        crc.update(body.toString().getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] digits = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            digits[i] = BASE62.charAt((int) (value % 62));
            value /= 62;
        }
        return new String(digits);
    }
}
