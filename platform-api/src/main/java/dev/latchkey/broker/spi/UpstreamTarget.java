package dev.latchkey.broker.spi;

import java.net.URI;

/**
 * Where a provider call goes. A fixed base URL (the provider's own, or the operator's
 * {@code latchkey.providers.<provider>.base-url}) is trusted as it is; a base URL from a
 * tenant's credential ({@code tenantField} names its field) is called only on public addresses,
 * checked when the connection is made ({@link UpstreamClient}).
 */
public record UpstreamTarget(URI base, String tenantField) {

    public static UpstreamTarget fixed(URI base) {
        return new UpstreamTarget(base, null);
    }

    public static UpstreamTarget tenant(URI base, String field) {
        return new UpstreamTarget(base, field);
    }

    public boolean tenantChosen() {
        return tenantField != null;
    }

    public URI resolve(String path) {
        return UpstreamClient.resolve(base, path);
    }
}
