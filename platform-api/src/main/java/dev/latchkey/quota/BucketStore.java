package dev.latchkey.quota;

import java.util.function.Supplier;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;

/** Where buckets live: Redis, shared by every instance, or this process's memory. */
interface BucketStore {

    Bucket bucket(String key, Supplier<BucketConfiguration> configuration);
}
