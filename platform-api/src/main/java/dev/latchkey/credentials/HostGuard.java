package dev.latchkey.credentials;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.outbound.OutboundGuard;

/**
 * Keeps tenant-supplied URLs (an Azure endpoint, a LiveKit URL, a Luna base URL) from pointing
 * Latchkey at anything but the provider: the scheme must be one the provider speaks, the host
 * must match the provider's allow-list and be a name (not an IP literal), and every address it
 * resolves to must be public ({@link OutboundGuard}; no SSRF through tenant config). The broker
 * checks the addresses again at call time and connects only to the ones it checked.
 */
@Component
class HostGuard {

    private final OutboundGuard outbound;

    HostGuard(OutboundGuard outbound) {
        this.outbound = outbound;
    }

    /** Returns the normalized URL (no trailing slash) or throws a 400 naming {@code field}. */
    String validate(String field, String value, Set<String> schemes, List<String> allowedHosts) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw LatchkeyException.invalidField(field, "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!schemes.contains(scheme)) {
            throw LatchkeyException.invalidField(field, "must use " + String.join(" or ", schemes.stream().sorted()
                    .map(s -> s + "://").toList()));
        }
        String host = uri.getHost();
        if (host == null || uri.getRawUserInfo() != null) {
            throw LatchkeyException.invalidField(field, "must name a host and carry no user information");
        }
        if (uri.getPort() != -1 && uri.getPort() != 443) {
            throw LatchkeyException.invalidField(field, "must use the default port");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw LatchkeyException.invalidField(field, "must not carry a query or fragment");
        }
        String normalizedHost = host.toLowerCase(Locale.ROOT);
        if (isIpLiteral(normalizedHost)) {
            throw LatchkeyException.invalidField(field, "must name the provider's host, not an IP address");
        }
        if (allowedHosts.stream().noneMatch(pattern -> matches(pattern, normalizedHost))) {
            throw LatchkeyException.invalidField(field, "must be a host matching " + allowedHosts);
        }
        outbound.requireAllowed(field, normalizedHost, OutboundGuard.Scope.PUBLIC_ONLY);
        String normalized = scheme + "://" + normalizedHost + (uri.getRawPath() == null ? "" : uri.getRawPath());
        return normalized.endsWith("/") ? normalized.substring(0, normalized.length() - 1) : normalized;
    }

    /** {@code *.example.com} matches any subdomain (not the apex); other patterns match exactly. */
    static boolean matches(String pattern, String host) {
        String lower = pattern.toLowerCase(Locale.ROOT);
        if (lower.startsWith("*.")) {
            String suffix = lower.substring(1);
            return host.endsWith(suffix) && host.length() > suffix.length()
                    && host.substring(0, host.length() - suffix.length()).matches("[a-z0-9-]+(\\.[a-z0-9-]+)*");
        }
        return host.equals(lower);
    }

    private static boolean isIpLiteral(String host) {
        return host.startsWith("[") || host.matches("[0-9.]+") || host.contains(":");
    }
}
