package dev.latchkey.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import org.springframework.stereotype.Component;

import dev.latchkey.kernel.LatchkeyException;

/**
 * The one check of every address Latchkey calls on a tenant's behalf (webhook URLs, Azure
 * endpoints, LiveKit and Luna URLs): a host is resolved once, every address it resolves to is
 * classified ({@link AddressClass}), and the call goes to those checked addresses and no others
 * ({@link GuardedHttpClient}): no second resolution between the check and the connection.
 */
@Component
public class OutboundGuard {

    /** Which addresses a kind of call may reach. */
    public enum Scope {
        /** Public addresses only: tenant-configured provider hosts, webhooks by default. */
        PUBLIC_ONLY,
        /** Also loopback and private networks: webhooks where the operator allows them (tests, private installs). */
        PRIVATE_NETWORKS_ALLOWED,
        /**
         * Hosts the operator configured, not a tenant (the providers' base URLs, an egress proxy, a
         * local fake): the operator's choice, so every address is allowed.
         */
        OPERATOR_CONFIGURED;

        public boolean allows(AddressClass addressClass) {
            return this == OPERATOR_CONFIGURED || addressClass == AddressClass.PUBLIC
                    || (this == PRIVATE_NETWORKS_ALLOWED && addressClass.privateNetwork());
        }
    }

    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final HostResolver resolver;

    public OutboundGuard(HostResolver resolver) {
        this.resolver = resolver;
    }

    /**
     * The addresses of {@code host} (a name, or an IP literal with or without brackets), every
     * one of which {@code scope} allows.
     *
     * @throws RefusedAddressException if any address is not allowed (one bad answer taints the name)
     * @throws UnknownHostException if the name does not resolve
     */
    public List<InetAddress> vet(String host, Scope scope) throws UnknownHostException {
        String bare = bare(host);
        InetAddress[] addresses = isIpLiteral(bare) ? new InetAddress[] {InetAddress.getByName(bare)}
                : resolver.resolve(bare);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(bare);
        }
        for (InetAddress address : addresses) {
            AddressClass addressClass = classify(address);
            if (!scope.allows(addressClass)) {
                throw new RefusedAddressException(addressClass);
            }
        }
        return List.of(addresses);
    }

    /**
     * For validating a URL a tenant submits: a 400 naming {@code field} when the host is or
     * resolves to an address {@code scope} does not allow. A name that does not resolve passes
     * (it may later); the call itself checks again, and only connects to checked addresses.
     */
    public void requireAllowed(String field, String host, Scope scope) {
        try {
            vet(host, scope);
        } catch (RefusedAddressException refused) {
            throw refusal(field, refused);
        } catch (UnknownHostException unresolvable) {
            // Accepted for now; see above.
        }
    }

    /** The 400 for a refused address: names the field and the kind of address, never the address. */
    public static LatchkeyException refusal(String field, RefusedAddressException refused) {
        return LatchkeyException.invalidField(field, "must not point at a " + refused.addressClass().description()
                + " address");
    }

    public static AddressClass classify(InetAddress address) {
        return AddressClassifier.classify(address);
    }

    /** An HTTP client whose every connection goes to addresses this guard checked. */
    public GuardedHttpClient httpClient(Scope scope, Duration connectTimeout) {
        return new GuardedHttpClient(this, scope, connectTimeout, null, GuardedHttpClient.DEFAULT_MAX_CONNECTIONS);
    }

    /** The same, keeping up to {@code maxConnections} connections per host. */
    public GuardedHttpClient httpClient(Scope scope, Duration connectTimeout, int maxConnections) {
        return new GuardedHttpClient(this, scope, connectTimeout, null, maxConnections);
    }

    /** The same with the given TLS context (tests with their own certificate authority). */
    GuardedHttpClient httpClient(Scope scope, Duration connectTimeout, SSLContext tls) {
        return new GuardedHttpClient(this, scope, connectTimeout, tls, GuardedHttpClient.DEFAULT_MAX_CONNECTIONS);
    }

    static String bare(String host) {
        String trimmed = host.trim();
        return trimmed.startsWith("[") && trimmed.endsWith("]") ? trimmed.substring(1, trimmed.length() - 1)
                : trimmed.toLowerCase(Locale.ROOT);
    }

    static boolean isIpLiteral(String bareHost) {
        return bareHost.contains(":") || IPV4_LITERAL.matcher(bareHost).matches();
    }
}
