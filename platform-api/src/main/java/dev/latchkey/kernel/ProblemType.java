package dev.latchkey.kernel;

/**
 * A kind of failure the API reports as an RFC 9457 problem. {@code type} is a stable relative
 * URI documented in the README; each capability declares its own types next to its code.
 */
public record ProblemType(String type, int status, String title) {

    public static final ProblemType VALIDATION =
            new ProblemType("/problems/validation", 400, "The request is not valid");
    public static final ProblemType MALFORMED_BODY =
            new ProblemType("/problems/malformed-body", 400, "The request body cannot be read");
    public static final ProblemType UNAUTHENTICATED =
            new ProblemType("/problems/unauthenticated", 401, "Authentication is required");
    public static final ProblemType FORBIDDEN =
            new ProblemType("/problems/forbidden", 403, "Not allowed");
    public static final ProblemType CSRF =
            new ProblemType("/problems/csrf", 403, "Missing or invalid CSRF token");
    public static final ProblemType NOT_FOUND =
            new ProblemType("/problems/not-found", 404, "Not found");
    public static final ProblemType METHOD_NOT_ALLOWED =
            new ProblemType("/problems/method-not-allowed", 405, "Method not allowed");
    public static final ProblemType NOT_ACCEPTABLE =
            new ProblemType("/problems/not-acceptable", 406, "Not acceptable");
    public static final ProblemType CONFLICT =
            new ProblemType("/problems/conflict", 409, "Conflict");
    public static final ProblemType PAYLOAD_TOO_LARGE =
            new ProblemType("/problems/payload-too-large", 413, "Request body too large");
    public static final ProblemType UNSUPPORTED_MEDIA_TYPE =
            new ProblemType("/problems/unsupported-media-type", 415, "Unsupported media type");
    public static final ProblemType RATE_LIMITED =
            new ProblemType("/problems/rate-limited", 429, "Too many requests");
    public static final ProblemType UNAVAILABLE =
            new ProblemType("/problems/unavailable", 503, "Temporarily unavailable");
    public static final ProblemType INTERNAL =
            new ProblemType("/problems/internal", 500, "Internal error");
}
