package dev.latchkey.kernel;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Latchkey's bearer secrets: a prefix ({@code platform_}, {@code pst_}) + 43 base62 characters of
 * randomness (256 bits) + a 6-character base62 CRC32 of everything before it, so a mistyped or
 * truncated secret is refused without a lookup and secret scanners can recognize a real one.
 */
public record SecretTokenFormat(String prefix) {

    public static final int RANDOM_LENGTH = 43;
    public static final int CHECKSUM_LENGTH = 6;
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public int length() {
        return prefix.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;
    }

    public String generate(SecureRandom random) {
        StringBuilder token = new StringBuilder(length()).append(prefix);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            token.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        return token.append(checksum(token)).toString();
    }

    /** The token when its prefix, length, alphabet and checksum are right; empty otherwise. */
    public Optional<String> parse(String candidate) {
        int length = length();
        if (candidate == null || candidate.length() != length || !candidate.startsWith(prefix)) {
            return Optional.empty();
        }
        for (int i = prefix.length(); i < length; i++) {
            if (BASE62.indexOf(candidate.charAt(i)) < 0) {
                return Optional.empty();
            }
        }
        String body = candidate.substring(0, length - CHECKSUM_LENGTH);
        return checksum(body).equals(candidate.substring(length - CHECKSUM_LENGTH)) ? Optional.of(candidate)
                : Optional.empty();
    }

    /** Whether the token is of this family, by its prefix alone (it may still be malformed). */
    public boolean claims(String token) {
        return token.startsWith(prefix);
    }

    public static String checksum(CharSequence body) {
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
