package dev.latchkey.webhooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.outbound.OutboundGuard;

/**
 * Webhook URLs are tenant-supplied, so Latchkey must not be made to call its own network. The
 * shape is checked here (http(s), a host, no user information or fragment); the addresses go
 * through {@link OutboundGuard}: public ones only, or also loopback and private networks where
 * the operator setting {@code latchkey.webhooks.allow-private-hosts} allows them (tests, private
 * installations). Link-local (cloud metadata), unspecified, multicast, reserved and
 * documentation addresses are refused always, in every IPv6 form that carries them. The check
 * runs when the endpoint is created, and each delivery connects only to addresses checked for
 * it. {@code latchkey.webhooks.require-https} (default true) refuses plain http.
 */
@Component
class WebhookUrlGuard {

    private final OutboundGuard outbound;
    private final OutboundGuard.Scope scope;
    private final boolean requireHttps;

    @Autowired
    WebhookUrlGuard(OutboundGuard outbound, WebhooksProperties settings) {
        this(outbound, settings.allowPrivateHosts(), settings.requireHttps());
    }

    WebhookUrlGuard(OutboundGuard outbound, boolean allowPrivateHosts, boolean requireHttps) {
        this.outbound = outbound;
        this.scope = allowPrivateHosts ? OutboundGuard.Scope.PRIVATE_NETWORKS_ALLOWED
                : OutboundGuard.Scope.PUBLIC_ONLY;
        this.requireHttps = requireHttps;
    }

    /** Which addresses deliveries may reach. */
    OutboundGuard.Scope scope() {
        return scope;
    }

    /**
     * The URL, normalized, or a 400 naming {@code url}. A host that does not resolve passes (it
     * may later); a delivery to it fails until it does.
     */
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
        outbound.requireAllowed("url", uri.getHost(), scope);
        return uri;
    }
}
