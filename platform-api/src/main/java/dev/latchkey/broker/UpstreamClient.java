package dev.latchkey.broker;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.latchkey.credentials.Provider;
import dev.latchkey.web.LatchkeyException;
import dev.latchkey.web.ProblemType;

/**
 * The one way to call a provider: one HTTP client per provider with connect and read timeouts,
 * a bounded retry for idempotent calls only, and a circuit breaker per provider. Failures
 * become 502/504 problems that name the provider and its status, never its body.
 */
@Component
public class UpstreamClient {

    public static final ProblemType UPSTREAM_ERROR = new ProblemType("/problems/upstream-error", 502,
            "The provider refused or failed");
    public static final ProblemType UPSTREAM_TIMEOUT = new ProblemType("/problems/upstream-timeout", 504,
            "The provider did not answer in time");

    private static final int IDEMPOTENT_ATTEMPTS = 2;

    private final Map<Provider, HttpClient> clients = new EnumMap<>(Provider.class);
    private final Map<Provider, CircuitBreaker> breakers = new EnumMap<>(Provider.class);
    private final Duration readTimeout;
    private final MeterRegistry meters;

    UpstreamClient(@Value("${latchkey.upstream.connect-timeout:2s}") Duration connectTimeout,
            @Value("${latchkey.upstream.read-timeout:10s}") Duration readTimeout,
            @Value("${latchkey.upstream.circuit-breaker.failure-rate:50}") float failureRate,
            @Value("${latchkey.upstream.circuit-breaker.minimum-calls:10}") int minimumCalls,
            @Value("${latchkey.upstream.circuit-breaker.open-for:30s}") Duration openFor, MeterRegistry meters) {
        this.readTimeout = readTimeout;
        this.meters = meters;
        CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
                .slidingWindowSize(Math.max(20, minimumCalls))
                .minimumNumberOfCalls(minimumCalls)
                .failureRateThreshold(failureRate)
                .waitDurationInOpenState(openFor)
                .recordExceptions(IOException.class, UpstreamFailure.class)
                .build();
        for (Provider provider : Provider.values()) {
            clients.put(provider, HttpClient.newBuilder()
                    .connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build());
            breakers.put(provider, CircuitBreaker.of("upstream-" + provider.id(), breakerConfig));
        }
    }

    /** What the provider answered. {@code elapsed} is the time spent waiting for it. */
    public record UpstreamResponse(int status, HttpResponse<byte[]> response, Duration elapsed) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public byte[] body() {
            return response.body();
        }

        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    /**
     * Sends the request. Non-2xx answers are returned for the adapter to map (see
     * {@link #refused}); network failures and timeouts throw 502/504 problems.
     */
    public UpstreamResponse send(Provider provider, HttpRequest.Builder request, boolean idempotent) {
        HttpRequest built = request.timeout(readTimeout).build();
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
                HttpResponse<byte[]> response = clients.get(provider).send(built,
                        HttpResponse.BodyHandlers.ofByteArray());
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                record(provider, Integer.toString(response.statusCode()), elapsed);
                if (response.statusCode() >= 500) {
                    breaker.onError(elapsed.toNanos(), TimeUnit.NANOSECONDS, new UpstreamFailure());
                    if (attempt < attempts) {
                        continue;
                    }
                } else {
                    breaker.onSuccess(elapsed.toNanos(), TimeUnit.NANOSECONDS);
                }
                return new UpstreamResponse(response.statusCode(), response, elapsed);
            } catch (HttpTimeoutException timeout) {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                breaker.onError(elapsed.toNanos(), TimeUnit.NANOSECONDS, timeout);
                record(provider, "timeout", elapsed);
                if (attempt >= attempts) {
                    throw new LatchkeyException(UPSTREAM_TIMEOUT, provider + " did not answer within "
                            + readTimeout.toMillis() + " ms");
                }
            } catch (IOException failure) {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                breaker.onError(elapsed.toNanos(), TimeUnit.NANOSECONDS, failure);
                record(provider, "io_error", elapsed);
                if (attempt >= attempts) {
                    throw new LatchkeyException(UPSTREAM_ERROR, provider + " could not be reached ("
                            + (failure instanceof ConnectException ? "connection refused" : "connection failed") + ")");
                }
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

    private void record(Provider provider, String outcome, Duration elapsed) {
        ServerTiming.addUpstream(elapsed);
        Timer.builder("latchkey.upstream.latency")
                .description("Time waiting for providers")
                .tag("provider", provider.id())
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(meters)
                .record(elapsed);
    }

    /** A 5xx answer, counted as a failure by the circuit breaker. */
    private static final class UpstreamFailure extends RuntimeException {
        UpstreamFailure() {
            super("upstream 5xx", null, false, false);
        }
    }
}
