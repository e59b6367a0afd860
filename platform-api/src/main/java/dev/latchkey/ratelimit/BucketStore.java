package dev.latchkey.ratelimit;

import java.util.function.Supplier;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

/** Where buckets live: Redis, shared by every instance, or this process's memory. */
interface BucketStore {

    /**
     * Takes one token from the bucket named {@code key}, created with {@code configuration} if
     * new; {@code limit} is what the configuration expresses, for stores that treat high and low
     * limits differently.
     */
    ConsumptionProbe tryConsume(String key, RateLimit limit, Supplier<BucketConfiguration> configuration);

    /**
     * {@link #tryConsume} that is exact whatever the limit: a store that decides high limits in
     * memory (and overshoots them a little) asks its shared store every time here.
     */
    default ConsumptionProbe tryConsumeExactly(String key, RateLimit limit,
            Supplier<BucketConfiguration> configuration) {
        return tryConsume(key, limit, configuration);
    }
}
