package dev.latchkey.changes;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A read-through cache for the request path: loads run on the loader threads (never inside a
 * lock on a request thread), an entry read in the second half of its life is reloaded in the
 * background while the request uses the current value, and no entry outlives {@code ttl}, the
 * backstop behind the {@link ChangeFeed}'s invalidations. Loads of one key are shared.
 */
public final class RefreshingCache<K, V> {

    private final AsyncLoadingCache<K, V> cache;

    private RefreshingCache(AsyncLoadingCache<K, V> cache) {
        this.cache = cache;
    }

    public static <K, V> RefreshingCache<K, V> of(Duration ttl, long maximumSize, Executor loaders,
            Function<K, V> loader) {
        return new RefreshingCache<>(Caffeine.newBuilder()
                .executor(loaders)
                .maximumSize(maximumSize)
                .expireAfterWrite(ttl)
                .refreshAfterWrite(ttl.dividedBy(2))
                .buildAsync(loader::apply));
    }

    /** The value, loading it if needed; a failed load's own exception (not wrapped) is thrown. */
    public V get(K key) {
        try {
            return cache.get(key).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Whether the key has a value or a load in progress (a read now costs no load of its own). */
    public boolean contains(K key) {
        return cache.getIfPresent(key) != null;
    }

    public void invalidate(K key) {
        cache.synchronous().invalidate(key);
    }

    public void invalidateKeys(Predicate<K> which) {
        cache.synchronous().asMap().keySet().removeIf(which);
    }

    public void invalidateValues(Predicate<V> which) {
        cache.synchronous().asMap().values().removeIf(which);
    }

    public void invalidateAll() {
        cache.synchronous().invalidateAll();
    }
}
