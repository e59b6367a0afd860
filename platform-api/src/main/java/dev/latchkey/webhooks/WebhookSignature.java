package dev.latchkey.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code Latchkey-Signature: t=<unix seconds>,v1=<hex HMAC-SHA-256>}, the HMAC keyed with the
 * endpoint's signing secret (the whole {@code whsec_...} string, UTF-8) over
 * {@code <t> + "." + <raw body>}. A receiver recomputes it, compares in constant time and
 * refuses timestamps older than a few minutes (replays).
 */
final class WebhookSignature {

    static final String HEADER = "Latchkey-Signature";

    private WebhookSignature() {
    }

    static String header(String secret, long timestamp, byte[] body) {
        return "t=" + timestamp + ",v1=" + hmac(secret, timestamp, body);
    }

    static String hmac(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
