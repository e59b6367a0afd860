package dev.latchkey.ledger;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.latchkey.credentials.HostGuard;
import dev.latchkey.web.LatchkeyException;

/**
 * Webhook URLs are tenant-supplied, so Latchkey must not be made to call its own network: hosts
 * that are or resolve to loopback, private (RFC 1918, unique-local, carrier-grade NAT) or other
 * internal addresses are refused, when the endpoint is created and again before every delivery
 * (DNS may change). Link-local addresses (cloud metadata services live there), the unspecified
 * address and multicast are refused always; the operator setting
 * {@code latchkey.webhooks.allow-private-hosts} lets the rest through (for tests and private
 * installations). {@code latchkey.webhooks.require-https} (default true) refuses plain http.
 */
@Component
class WebhookUrlGuard {

    /** A URL that must not be called now. */
    static final class RefusedUrl extends Exception {
        RefusedUrl(String message) {
            super(message, null, false, false);
        }
    }

    private final boolean allowPrivateHosts;
    private final boolean requireHttps;

    WebhookUrlGuard(@Value("${latchkey.webhooks.allow-private-hosts:false}") boolean allowPrivateHosts,
            @Value("${latchkey.webhooks.require-https:true}") boolean requireHttps) {
        this.allowPrivateHosts = allowPrivateHosts;
        this.requireHttps = requireHttps;
    }

    /** The URL, normalized, or a 400 naming {@code url}. */
    URI validate(String value) {
        URI uri;
        try {
            uri = new URI(value.trim()).normalize();
        } catch (URISyntaxException e) {
            throw LatchkeyException.invalidField("url", "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && !requireHttps)) {
            throw LatchkeyException.invalidField("url", requireHttps ? "must use https://" : "must use https:// or http://");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw LatchkeyException.invalidField("url", "must name a host and carry no user information");
        }
        if (uri.getRawFragment() != null) {
            throw LatchkeyException.invalidField("url", "must not carry a fragment");
        }
        try {
            check(uri);
        } catch (RefusedUrl refused) {
            throw LatchkeyException.invalidField("url", refused.getMessage());
        }
        return uri;
    }

    /**
     * Checks the host's addresses now. A host that does not resolve passes at creation (it may
     * later) and fails at delivery, where the connection would fail anyway.
     */
    void check(URI uri) throws RefusedUrl {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bareHost(uri.getHost()));
        } catch (UnknownHostException unresolvable) {
            return;
        }
        for (InetAddress address : addresses) {
            if (alwaysRefused(address)) {
                throw new RefusedUrl("must not point at a link-local, unspecified or multicast address");
            }
            if (!allowPrivateHosts && HostGuard.isInternal(address)) {
                throw new RefusedUrl("must not point at a loopback, private or otherwise internal address");
            }
        }
    }

    static boolean alwaysRefused(InetAddress address) {
        return address.isLinkLocalAddress() || address.isAnyLocalAddress() || address.isMulticastAddress();
    }

    private static String bareHost(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
