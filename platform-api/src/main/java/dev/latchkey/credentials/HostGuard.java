package dev.latchkey.credentials;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.latchkey.web.LatchkeyException;

/**
 * Keeps tenant-supplied URLs (an Azure endpoint, a LiveKit URL) from pointing Latchkey at
 * anything but the provider: the scheme must be one the provider speaks, the host must match
 * the provider's allow-list, and neither the host nor any address it resolves to may be
 * loopback, private, link-local or otherwise internal (no SSRF through tenant config).
 */
public final class HostGuard {

    private HostGuard() {
    }

    /** Returns the normalized URL (no trailing slash) or throws a 400 naming {@code field}. */
    static String validate(String field, String value, Set<String> schemes, List<String> allowedHosts) {
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
        requirePublicAddresses(field, normalizedHost);
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

    /**
     * Refuses a host that resolves to an internal address now. A host that does not resolve is
     * accepted here; the upstream client checks the address again when it connects.
     */
    public static void requirePublicAddresses(String field, String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException unresolvable) {
            return;
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                throw LatchkeyException.invalidField(field, "resolves to an internal address");
            }
        }
    }

    /** Loopback, private, link-local, unique-local, carrier-grade NAT, reserved: nothing a tenant may target. */
    public static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc; // fc00::/7, unique local
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        return first == 0 || (first == 100 && second >= 64 && second <= 127) // 100.64/10, carrier-grade NAT
                || (first == 192 && second == 0 && (bytes[2] & 0xff) == 0) || first >= 240;
    }

    private static boolean isIpLiteral(String host) {
        return host.startsWith("[") || host.matches("[0-9.]+") || host.contains(":");
    }
}
