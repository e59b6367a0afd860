package dev.latchkey.web;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** Where a request came from, as recorded in audit and ledger rows. */
public record RequestMetadata(String requestId, String ip, String userAgent) {

    static final String REQUEST_ID_ATTRIBUTE = RequestMetadata.class.getName() + ".requestId";
    static final String STARTED_AT_ATTRIBUTE = RequestMetadata.class.getName() + ".startedAt";
    private static final int MAX_USER_AGENT = 512;
    private static final RequestMetadata NONE = new RequestMetadata(null, null, null);

    /** The metadata of the request this thread serves, or empty values outside a request. */
    public static RequestMetadata current() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            return of(attributes.getRequest());
        }
        return NONE;
    }

    public static RequestMetadata of(HttpServletRequest request) {
        String userAgent = request.getHeader("User-Agent");
        if (userAgent != null && userAgent.length() > MAX_USER_AGENT) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT);
        }
        return new RequestMetadata(requestId(request), request.getRemoteAddr(), userAgent);
    }

    /** When the platform started serving the request ({@link System#nanoTime()}), for Server-Timing. */
    public static long startedAtNanos(HttpServletRequest request) {
        Object startedAt = request.getAttribute(STARTED_AT_ATTRIBUTE);
        return startedAt instanceof Long nanos ? nanos : System.nanoTime();
    }

    public static String requestId(HttpServletRequest request) {
        return (String) request.getAttribute(REQUEST_ID_ATTRIBUTE);
    }
}
