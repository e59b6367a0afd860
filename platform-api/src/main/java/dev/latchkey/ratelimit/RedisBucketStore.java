package dev.latchkey.ratelimit;

import java.time.Duration;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimization;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;

/**
 * Buckets in Redis through bucket4j's compare-and-swap proxy manager, shared by every instance.
 * The connection is opened on first use, so an instance starts while Redis is away; once open,
 * Lettuce reconnects by itself. Every command fails within {@code timeout}.
 */
final class RedisBucketStore implements BucketStore, AutoCloseable {

    private final RedisClient client;
    private final ClientResources resources;
    private final String keyPrefix;
    private final Duration timeout;
    private final long highRateThreshold;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile ProxyManager<String> proxyManager;
    /**
     * One proxy per bucket, batching: requests for a bucket that arrive while one is in flight go
     * to Redis together as one compare-and-swap, instead of each retrying against the others
     * (which, on a busy bucket, queues commands past the timeout).
     */
    private final Cache<String, BucketProxy> proxies = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    RedisBucketStore(RedisClient client, ClientResources resources, String keyPrefix, Duration timeout,
            long highRateThreshold) {
        this.highRateThreshold = highRateThreshold;
        this.client = client;
        this.resources = resources;
        this.keyPrefix = keyPrefix;
        this.timeout = timeout;
    }

    /**
     * A small limit stays exact across instances: every decision goes to Redis, concurrent ones for
     * one bucket batched into one compare-and-swap. A high limit ({@code high-rate-threshold}
     * tokens per second or more) is decided in memory and synchronised with Redis every
     * {@code 1 %} of the rate or 50 ms, whichever comes first, so that it costs no Redis round
     * trip per request and each instance overshoots it by at most that much.
     */
    @Override
    public ConsumptionProbe tryConsume(String key, RateLimit limit, Supplier<BucketConfiguration> configuration) {
        return proxies.get(keyPrefix + "bucket:" + key, redisKey -> proxyManager().builder()
                .withOptimization(optimizationFor(limit))
                .build(redisKey, configuration))
                .tryConsumeAndReturnRemaining(1);
    }

    /** Every decision in Redis, concurrent ones for the bucket batched into one compare-and-swap. */
    @Override
    public ConsumptionProbe tryConsumeExactly(String key, RateLimit limit, Supplier<BucketConfiguration> configuration) {
        return proxies.get(keyPrefix + "bucket:exact:" + key, redisKey -> proxyManager().builder()
                .withOptimization(Optimizations.batching())
                .build(keyPrefix + "bucket:" + key, configuration))
                .tryConsumeAndReturnRemaining(1);
    }

    private Optimization optimizationFor(RateLimit limit) {
        double perSecond = limit.refillTokens() * 1_000_000_000.0 / limit.period().toNanos();
        if (perSecond < highRateThreshold) {
            return Optimizations.batching();
        }
        long unsynchronized = Math.max(1, (long) (perSecond / 100));
        return Optimizations.delaying(new DelayParameters(unsynchronized, Duration.ofMillis(50)));
    }

    /** Throws when Redis does not answer a PING within the timeout. */
    void ping() {
        proxyManager();
        connection.sync().ping();
    }

    private ProxyManager<String> proxyManager() {
        ProxyManager<String> manager = proxyManager;
        if (manager != null) {
            return manager;
        }
        synchronized (this) {
            if (proxyManager == null) {
                connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
                proxyManager = Bucket4jLettuce.casBasedBuilder(connection)
                        .expirationAfterWrite(ExpirationAfterWriteStrategy
                                .basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                        .requestTimeout(timeout)
                        .build();
            }
            return proxyManager;
        }
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, byte[]> open = connection;
        if (open != null) {
            open.close();
        }
        client.shutdown();
        resources.shutdown();
    }
}
