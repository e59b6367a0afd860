package dev.latchkey.outbound;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLContext;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * HTTP/1.1 to hosts tenants chose, pinned to checked addresses: the connection manager resolves
 * names only through {@link OutboundGuard#vet}, and connects to the addresses it returned. TLS
 * still verifies the certificate against the host name and sends it as SNI, since the request
 * keeps its URL; only the address lookup is ours. Redirects, retries, cookies, proxies and
 * content decoding are off: a call does exactly what the caller asked, once.
 */
public final class GuardedHttpClient implements AutoCloseable {

    /** A response: status, headers (names as sent) and, when asked for, the body. */
    public record Exchange(int status, Map<String, List<String>> headers, byte[] body) {
    }

    static final int DEFAULT_MAX_CONNECTIONS = 20;

    /**
     * Ends calls that outlive their deadline. The response timeout bounds each read only: a host that
     * trickles its answer a byte at a time would otherwise hold the call (and its request thread)
     * for as long as it likes. A call that ends in time cancels its deadline, which then leaves the
     * queue at once: kept until it would have fired (connect plus read timeout, 12 s by default), the
     * deadlines of a thousand calls a second held every request they name, filled the old generation
     * and made the collector stop the world for most of a second every few seconds.
     */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

    private static ScheduledThreadPoolExecutor deadlines() {
        ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "outbound-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        deadlines.setRemoveOnCancelPolicy(true);
        return deadlines;
    }

    /** The deadlines of calls still in progress (for the test that none outlives its call). */
    static int pendingDeadlines() {
        return DEADLINES.getQueue().size();
    }

    private final OutboundGuard guard;
    private final OutboundGuard.Scope scope;
    private final PoolingHttpClientConnectionManager connections;
    private final CloseableHttpClient client;
    private final Duration connectTimeout;

    GuardedHttpClient(OutboundGuard guard, OutboundGuard.Scope scope, Duration connectTimeout, SSLContext tls,
            int maxConnectionsPerHost) {
        this.guard = guard;
        this.scope = scope;
        this.connectTimeout = connectTimeout;
        this.connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new CheckedResolver(guard, scope))
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls != null ? tls : SSLContexts.createSystemDefault()))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        // A pooled connection stays on the address it was checked for; a bounded
                        // lifetime makes the next one look the name up (and check it) again.
                        .setTimeToLive(TimeValue.ofSeconds(60))
                        .build())
                .setMaxConnTotal(Math.max(100, maxConnectionsPerHost * 2))
                .setMaxConnPerRoute(maxConnectionsPerHost)
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setUserAgent("Latchkey")
                .build();
    }

    /**
     * Sends one request. {@code readBody} false discards the answer's body (webhooks).
     *
     * @throws RefusedAddressException when the host is or resolves to an address the scope refuses
     */
    public Exchange send(String method, URI uri, Map<String, List<String>> headers, byte[] body, Duration timeout,
            boolean readBody) throws IOException {
        if (uri.getHost() == null) {
            throw new UnknownHostException("no host in " + uri.getScheme() + " URL");
        }
        String host = OutboundGuard.bare(uri.getHost());
        if (OutboundGuard.isIpLiteral(host)) {
            guard.vet(host, scope); // an address literal involves no lookup; refuse it before any socket opens
        }
        HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
        headers.forEach((name, values) -> values.forEach(value -> request.addHeader(name, value)));
        if ((body != null && body.length > 0) || method.equals("POST") || method.equals("PUT")
                || method.equals("PATCH")) {
            request.setEntity(new ByteArrayEntity(body == null ? new byte[0] : body, null));
        }
        Timeout wait = Timeout.of(timeout);
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(RequestConfig.custom()
                .setConnectionRequestTimeout(wait)
                .setResponseTimeout(wait)
                .setRedirectsEnabled(false)
                .build());
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            expired.set(true);
            request.cancel();
        }, connectTimeout.plus(timeout).toMillis(), TimeUnit.MILLISECONDS);
        try {
            return exchange(request, context, readBody);
        } catch (IOException | RuntimeException e) {
            if (expired.get()) {
                throw new SocketTimeoutException("no complete answer within " + connectTimeout.plus(timeout).toMillis()
                        + " ms");
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    private Exchange exchange(HttpUriRequestBase request, HttpClientContext context, boolean readBody)
            throws IOException {
        return client.execute(request, context, response -> {
            Map<String, List<String>> answered = new LinkedHashMap<>();
            for (Header header : response.getHeaders()) {
                answered.computeIfAbsent(header.getName(), name -> new ArrayList<>()).add(header.getValue());
            }
            HttpEntity entity = response.getEntity();
            byte[] content = new byte[0];
            if (entity != null) {
                if (readBody) {
                    content = EntityUtils.toByteArray(entity);
                } else {
                    EntityUtils.consume(entity);
                }
            }
            return new Exchange(response.getCode(), answered, content);
        });
    }

    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
        connections.close(CloseMode.GRACEFUL);
    }

    /** The connection manager's only way to find an address: the guard's check. */
    private record CheckedResolver(OutboundGuard guard, OutboundGuard.Scope scope) implements DnsResolver {

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return guard.vet(host, scope).toArray(InetAddress[]::new);
        }

        @Override
        public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
            return guard.vet(host, scope).stream().map(address -> new InetSocketAddress(address, port)).toList();
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return host; // asked only for SPNEGO, which Latchkey never uses; no extra lookups
        }
    }
}
