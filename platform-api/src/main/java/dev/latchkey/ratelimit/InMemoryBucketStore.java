package dev.latchkey.ratelimit;

import java.time.Duration;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

/** Buckets in this process: the embedded default's store, and the fallback while Redis is away. */
final class InMemoryBucketStore implements BucketStore {

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(1))
            .build();

    @Override
    public ConsumptionProbe tryConsume(String key, RateLimit limit, Supplier<BucketConfiguration> configuration) {
        Bucket bucket = buckets.get(key, k -> Bucket.builder()
                .addLimit(configuration.get().getBandwidths()[0])
                .build());
        return bucket.tryConsumeAndReturnRemaining(1);
    }
}
