package dev.latchkey.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.latchkey.kernel.EndUser;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Provider;

/**
 * One billable request, as the broker describes it to {@link MeteringService#meter}.
 *
 * @param orgId              the organization billed (from the caller's platform key)
 * @param apiKeyId           the platform key that made the request
 * @param provider           the upstream provider
 * @param operation          what was done, e.g. {@code token.mint}, {@code room.create},
 *                           {@code call.proxy}: a price book key
 * @param quantity           units billed, at least 1 (a token mint is 1)
 * @param endUser            the app's own opaque user id ({@code end_user}), or null
 * @param requestId          the request's {@code X-Request-Id}
 * @param idempotencyKey     the caller's {@code Idempotency-Key}, or null
 * @param requestFingerprint what makes two requests "the same" under one idempotency key, e.g.
 *                           {@link #fingerprint(String...)} of method, path and body; required
 *                           with an idempotency key
 */
public record BillableRequest(UUID orgId, UUID apiKeyId, Provider provider, String operation, long quantity,
        String endUser, String requestId, String idempotencyKey, String requestFingerprint) {

    private static final Pattern OPERATION = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)*");
    /** Printable ASCII without spaces at the ends, like the IETF Idempotency-Key draft's examples. */
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[!-~]([ -~]{0,253}[!-~])?");

    public BillableRequest {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(apiKeyId, "apiKeyId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(operation, "operation");
        if (!OPERATION.matcher(operation).matches() || operation.length() > 64) {
            throw new IllegalArgumentException("Not an operation name: " + operation);
        }
        if (quantity <= 0) {
            throw new IllegalArgumentException("A billable request needs a positive quantity");
        }
        EndUser.check(endUser);
        if (idempotencyKey != null) {
            if (!IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
                throw LatchkeyException.invalidField("Idempotency-Key",
                        "must be 1 to 255 printable ASCII characters");
            }
            Objects.requireNonNull(requestFingerprint, "requestFingerprint is required with an idempotency key");
        }
    }

    /** A SHA-256 over the parts (e.g. method, path, body), each length-prefixed so no two lists collide. */
    public static String fingerprint(String... parts) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                byte[] bytes = (part == null ? "" : part).getBytes(StandardCharsets.UTF_8);
                sha256.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                sha256.update(bytes);
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
