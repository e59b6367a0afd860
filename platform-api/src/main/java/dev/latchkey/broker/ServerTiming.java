package dev.latchkey.broker;

import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import dev.latchkey.web.RequestMetadata;

/**
 * {@code Server-Timing: upstream;dur=..., latchkey;dur=...}: the provider's time apart from the
 * platform's own overhead, so callers can tell which one is slow.
 */
public final class ServerTiming {

    private static final String UPSTREAM_NANOS = ServerTiming.class.getName() + ".upstreamNanos";

    private ServerTiming() {
    }

    /** Adds time spent waiting for a provider to the current request's account. */
    public static void addUpstream(Duration elapsed) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes != null) {
            Long sofar = (Long) attributes.getAttribute(UPSTREAM_NANOS, RequestAttributes.SCOPE_REQUEST);
            attributes.setAttribute(UPSTREAM_NANOS, (sofar == null ? 0 : sofar) + elapsed.toNanos(),
                    RequestAttributes.SCOPE_REQUEST);
        }
    }

    public static String header(HttpServletRequest request) {
        Object upstream = request.getAttribute(UPSTREAM_NANOS);
        long upstreamNanos = upstream instanceof Long nanos ? nanos : 0;
        long totalNanos = System.nanoTime() - RequestMetadata.startedAtNanos(request);
        return "upstream;dur=" + millis(upstreamNanos)
                + ", latchkey;dur=" + millis(Math.max(0, totalNanos - upstreamNanos));
    }

    /** Milliseconds with one decimal, as {@code %.1f} would (without a Formatter on every response). */
    private static String millis(long nanos) {
        long tenths = Math.round(nanos / 100_000.0);
        return tenths / 10 + "." + tenths % 10;
    }
}
