package dev.latchkey.changes;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

/**
 * The threads that load and refresh every {@link RefreshingCache}: platform threads, so a load
 * waiting on the database never pins or queues behind the request threads' carriers. (Not an
 * {@link Executor} bean, which would displace Spring Boot's own task executor.)
 */
@Component
public class CacheLoaders implements AutoCloseable {

    private final ExecutorService threads;

    public CacheLoaders() {
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "cache-loader-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public Executor executor() {
        return threads;
    }

    /** A cache whose loads and refreshes run on these threads. */
    public <K, V> RefreshingCache<K, V> cache(java.time.Duration ttl, long maximumSize,
            java.util.function.Function<K, V> loader) {
        return RefreshingCache.of(ttl, maximumSize, threads, loader);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
