package dev.latchkey.broker;

import java.time.Duration;
import java.util.Locale;

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
        return String.format(Locale.ROOT, "upstream;dur=%.1f, latchkey;dur=%.1f", upstreamNanos / 1e6,
                Math.max(0, totalNanos - upstreamNanos) / 1e6);
    }
}
