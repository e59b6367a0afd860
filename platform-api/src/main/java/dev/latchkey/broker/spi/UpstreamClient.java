package dev.latchkey.broker.spi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

import dev.latchkey.broker.ServerTiming;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.kernel.Provider;
import dev.latchkey.outbound.GuardedHttpClient;
import dev.latchkey.outbound.OutboundGuard;
import dev.latchkey.outbound.RefusedAddressException;

/**
 * The one way to call a provider: pooled HTTP/1.1 connections with connect and read timeouts
 * (blocking I/O, cheap on the request's virtual thread), a bounded retry with backoff for
 * idempotent calls only, a circuit breaker per provider that also opens on slow calls, and a
 * bulkhead per provider ({@code latchkey.upstream.max-concurrent-calls}): a provider that hangs
 * ties up at most that many requests, the rest get a 503 at once. Failures become 502/504
 * problems that name the provider and its status, never its body. Calls to a host from a
 * tenant's credential ({@link UpstreamTarget#tenant}) are resolved once, their addresses checked
 * by the {@link OutboundGuard}, and the connection made to them; hosts the operator configured
 * (the providers' own, or a base URL override) are not checked.
 */
@Component
public class UpstreamClient {

    public static final ProblemType UPSTREAM_ERROR = new ProblemType("/problems/upstream-error", 502,
            "The provider refused or failed");
    public static final ProblemType UPSTREAM_TIMEOUT = new ProblemType("/problems/upstream-timeout", 504,
            "The provider did not answer in time");

    public static final ProblemType UPSTREAM_BUSY = new ProblemType("/problems/upstream-busy", 503,
            "Too many calls to the provider in progress");

    private static final int IDEMPOTENT_ATTEMPTS = 2;
    private static final Duration RETRY_BACKOFF = Duration.ofMillis(100);

    private final Map<Provider, CircuitBreaker> breakers = new EnumMap<>(Provider.class);
    private final Map<Provider, Semaphore> bulkheads = new EnumMap<>(Provider.class);
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final GuardedHttpClient tenantHosts;
    private final GuardedHttpClient operatorHosts;
    private final Duration readTimeout;
    private final int maxConcurrentCalls;
    private final MeterRegistry meters;

    UpstreamClient(UpstreamProperties settings, MeterRegistry meters, OutboundGuard outbound) {
        Duration connectTimeout = settings.connectTimeout();
        int maxConcurrentCalls = settings.maxConcurrentCalls();
        UpstreamProperties.CircuitBreaker breaker = settings.circuitBreaker();
        this.readTimeout = settings.readTimeout();
        this.maxConcurrentCalls = maxConcurrentCalls;
        this.tenantHosts = outbound.httpClient(OutboundGuard.Scope.PUBLIC_ONLY, connectTimeout, maxConcurrentCalls);
        this.operatorHosts = outbound.httpClient(OutboundGuard.Scope.OPERATOR_CONFIGURED, connectTimeout,
                maxConcurrentCalls);
        this.meters = meters;
        CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
                .slidingWindowSize(Math.max(20, breaker.minimumCalls()))
                .minimumNumberOfCalls(breaker.minimumCalls())
                .failureRateThreshold(breaker.failureRate())
                .slowCallDurationThreshold(breaker.slowCallDuration())
                .slowCallRateThreshold(breaker.slowCallRate())
                .waitDurationInOpenState(breaker.openFor())
                .recordExceptions(IOException.class, UpstreamFailure.class)
                .build();
        for (Provider provider : Provider.values()) {
            breakers.put(provider, CircuitBreaker.of("upstream-" + provider.id(), breakerConfig));
            bulkheads.put(provider, new Semaphore(maxConcurrentCalls));
        }
    }

    /** What the provider answered. {@code elapsed} is the time spent waiting for it. */
    public record UpstreamResponse(int status, HttpHeaders headers, byte[] body, Duration elapsed) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** One exchange over one transport; the elapsed time is filled in by {@link #send}. */
    @FunctionalInterface
    private interface Transport {
        UpstreamResponse exchange(HttpRequest request) throws IOException, InterruptedException;
    }

    /**
     * Sends the request. Non-2xx answers are returned for the adapter to map (see
     * {@link #refused}); network failures and timeouts throw 502/504 problems.
     */
    public UpstreamResponse send(Provider provider, HttpRequest.Builder request, boolean idempotent) {
        return send(provider, request, idempotent, built -> exchange(operatorHosts, built));
    }

    /**
     * Sends the request to {@code target}. A tenant's host is called on public addresses only,
     * the ones checked for this connection; otherwise a 400 names the credential's field.
     */
    public UpstreamResponse send(Provider provider, UpstreamTarget target, HttpRequest.Builder request,
            boolean idempotent) {
        if (!target.tenantChosen()) {
            return send(provider, request, idempotent);
        }
        return send(provider, request, idempotent, built -> {
            try {
                return exchange(tenantHosts, built);
            } catch (RefusedAddressException refused) {
                throw OutboundGuard.refusal(target.tenantField(), refused);
            }
        });
    }

    private UpstreamResponse exchange(GuardedHttpClient client, HttpRequest built)
            throws IOException, InterruptedException {
        try {
            GuardedHttpClient.Exchange exchange = client.send(built.method(), built.uri(), built.headers().map(),
                    body(built), built.timeout().orElse(readTimeout), true);
            return new UpstreamResponse(exchange.status(), HttpHeaders.of(exchange.headers(), (name, value) -> true),
                    exchange.body(), null);
        } catch (InterruptedIOException timedOut) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            throw new HttpTimeoutException("timed out");
        }
    }

    private UpstreamResponse send(Provider provider, HttpRequest.Builder request, boolean idempotent,
            Transport transport) {
        Semaphore bulkhead = bulkheads.get(provider);
        if (!bulkhead.tryAcquire()) {
            throw new LatchkeyException(UPSTREAM_BUSY, maxConcurrentCalls + " calls to " + provider
                    + " are in progress already; retry shortly", java.util.List.of(), Map.of("Retry-After", "1"));
        }
        try {
            return attempt(provider, request.timeout(readTimeout).build(), idempotent, transport);
        } finally {
            bulkhead.release();
        }
    }

    private UpstreamResponse attempt(Provider provider, HttpRequest built, boolean idempotent, Transport transport) {
        CircuitBreaker breaker = breakers.get(provider);
        int attempts = idempotent ? IDEMPOTENT_ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            long start = System.nanoTime();
            try {
                breaker.acquirePermission();
            } catch (CallNotPermittedException open) {
                throw new LatchkeyException(UPSTREAM_ERROR, provider + " is failing; calls are paused for a moment"
                        + " (circuit open)");
            }
            try {
                UpstreamResponse response = transport.exchange(built);
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                record(provider, Integer.toString(response.status()), elapsed);
                if (response.status() >= 500) {
                    breaker.onError(elapsed.toNanos(), TimeUnit.NANOSECONDS, new UpstreamFailure());
                    if (attempt < attempts) {
                        backOff(attempt);
                        continue;
                    }
                } else {
                    breaker.onSuccess(elapsed.toNanos(), TimeUnit.NANOSECONDS);
                }
                return new UpstreamResponse(response.status(), response.headers(), response.body(), elapsed);
            } catch (LatchkeyException refused) {
                breaker.releasePermission(); // the provider was never asked
                throw refused;
            } catch (HttpTimeoutException timeout) {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                breaker.onError(elapsed.toNanos(), TimeUnit.NANOSECONDS, timeout);
                record(provider, "timeout", elapsed);
                if (attempt >= attempts) {
                    throw new LatchkeyException(UPSTREAM_TIMEOUT, provider + " did not answer within "
                            + readTimeout.toMillis() + " ms");
                }
                backOff(attempt);
            } catch (IOException failure) {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                breaker.onError(elapsed.toNanos(), TimeUnit.NANOSECONDS, failure);
                record(provider, "io_error", elapsed);
                if (attempt >= attempts) {
                    throw new LatchkeyException(UPSTREAM_ERROR, provider + " could not be reached ("
                            + (failure instanceof ConnectException ? "connection refused" : "connection failed") + ")");
                }
                backOff(attempt);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new LatchkeyException(UPSTREAM_ERROR, "The call to " + provider + " was interrupted");
            }
        }
    }

    /**
     * The problem for a provider's non-2xx answer: its status and, where the provider gives one,
     * its error code, never its message or body (they may echo parts of a key).
     */
    public static LatchkeyException refused(Provider provider, UpstreamResponse response, String errorCode) {
        String code = errorCode == null || !errorCode.matches("[A-Za-z0-9_.-]{1,64}") ? "" : " (" + errorCode + ")";
        return new LatchkeyException(UPSTREAM_ERROR, provider + " answered " + response.status() + code,
                java.util.List.of(), response.status() == 429 && response.header("Retry-After") != null
                        ? Map.of("Retry-After", response.header("Retry-After")) : Map.of());
    }

    public static LatchkeyException malformed(Provider provider) {
        return new LatchkeyException(UPSTREAM_ERROR, provider + " answered with a body Latchkey cannot read");
    }

    /** The base URL of a provider: the operator's override, else the given default. */
    public static URI resolve(URI base, String path) {
        String text = base.toString();
        return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + path);
    }

    /** The bytes a request's body publisher produces (the adapters' bodies are in memory). */
    private static byte[] body(HttpRequest request) throws IOException {
        HttpRequest.BodyPublisher publisher = request.bodyPublisher().orElse(null);
        if (publisher == null || publisher.contentLength() == 0) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                out.write(chunk, 0, chunk.length);
            }

            @Override
            public void onError(Throwable failure) {
                done.completeExceptionally(failure);
            }

            @Override
            public void onComplete() {
                done.complete(out.toByteArray());
            }
        });
        try {
            return done.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("The request body could not be read", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    @PreDestroy
    void close() {
        tenantHosts.close();
        operatorHosts.close();
    }

    /** Before a retry: 100 ms, then 200 ms, ..., with up to half of it again as jitter. */
    private static void backOff(int attempt) {
        long millis = RETRY_BACKOFF.toMillis() << (attempt - 1);
        try {
            Thread.sleep(millis + java.util.concurrent.ThreadLocalRandom.current().nextLong(millis / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(Provider provider, String outcome, Duration elapsed) {
        ServerTiming.addUpstream(elapsed);
        timers.computeIfAbsent(provider.id() + ":" + outcome, key -> Timer.builder("latchkey.upstream.latency")
                .description("Time waiting for providers")
                .tag("provider", provider.id())
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(meters)).record(elapsed);
    }

    /** A 5xx answer, counted as a failure by the circuit breaker. */
    private static final class UpstreamFailure extends RuntimeException {
        UpstreamFailure() {
            super("upstream 5xx", null, false, false);
        }
    }
}
