package dev.latchkey.sessions;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * {@code pst_} + 43 base62 characters of randomness (256 bits) + a 6-character base62 CRC32 of
 * everything before it, like platform keys: a mistyped or truncated token is refused without a
 * database read, and secret scanners can recognize one.
 */
final class SessionTokenFormat {

    static final String PREFIX = "pst_";
    static final int RANDOM_LENGTH = 43;
    static final int CHECKSUM_LENGTH = 6;
    static final int LENGTH = PREFIX.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private SessionTokenFormat() {
    }

    static String generate(SecureRandom random) {
        StringBuilder token = new StringBuilder(LENGTH).append(PREFIX);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            token.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        return token.append(checksum(token)).toString();
    }

    /** The token when its length, alphabet and checksum are right; empty otherwise. */
    static Optional<String> parse(String candidate) {
        if (candidate == null || candidate.length() != LENGTH || !candidate.startsWith(PREFIX)) {
            return Optional.empty();
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (BASE62.indexOf(candidate.charAt(i)) < 0) {
                return Optional.empty();
            }
        }
        String body = candidate.substring(0, LENGTH - CHECKSUM_LENGTH);
        return checksum(body).equals(candidate.substring(LENGTH - CHECKSUM_LENGTH)) ? Optional.of(candidate)
                : Optional.empty();
    }

    static boolean looksLikeSessionToken(String token) {
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
