package dev.latchkey.quota;

import java.time.Duration;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class BucketStoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(BucketStoreConfiguration.class);

    /** Redis-backed buckets as soon as Redis is configured, in any mode. */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${spring.data.redis.host:}' != '' or '${spring.data.redis.url:}' != ''")
    RedisBucketStore redisBucketStore(@Value("${spring.data.redis.url:}") String url,
            @Value("${spring.data.redis.host:}") String host, @Value("${spring.data.redis.port:6379}") int port,
            @Value("${spring.data.redis.username:}") String username,
            @Value("${spring.data.redis.password:}") String password,
            @Value("${spring.data.redis.database:0}") int database,
            @Value("${spring.data.redis.ssl.enabled:false}") boolean ssl,
            @Value("${latchkey.redis.key-prefix:latchkey:}") String keyPrefix) {
        RedisURI uri;
        if (!url.isBlank()) {
            uri = RedisURI.create(url);
        } else {
            RedisURI.Builder builder = RedisURI.builder().withHost(host).withPort(port).withDatabase(database)
                    .withSsl(ssl).withTimeout(Duration.ofSeconds(2));
            if (!password.isBlank()) {
                builder = username.isBlank() ? builder.withPassword(password.toCharArray())
                        : builder.withAuthentication(username, password);
            }
            uri = builder.build();
        }
        log.info("Rate-limit buckets are kept in Redis at {}:{}", uri.getHost(), uri.getPort());
        return new RedisBucketStore(RedisClient.create(uri), keyPrefix);
    }

    @Bean
    @ConditionalOnMissingBean(BucketStore.class)
    BucketStore inMemoryBucketStore() {
        log.warn("Rate-limit buckets are kept in this process only (no Redis configured): limits are per instance");
        Cache<String, Bucket> cache = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterAccess(Duration.ofHours(1))
                .build();
        return (key, configuration) -> cache.get(key, k -> Bucket.builder()
                .addLimit(configuration.get().getBandwidths()[0])
                .build());
    }

    /** Buckets in Redis through bucket4j's compare-and-swap proxy manager. */
    static final class RedisBucketStore implements BucketStore, AutoCloseable {
        private final RedisClient client;
        private final StatefulRedisConnection<String, byte[]> connection;
        private final ProxyManager<String> proxyManager;
        private final String keyPrefix;

        RedisBucketStore(RedisClient client, String keyPrefix) {
            this.client = client;
            this.keyPrefix = keyPrefix;
            this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            this.proxyManager = Bucket4jLettuce.casBasedBuilder(connection)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy
                            .basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                    .build();
        }

        @Override
        public Bucket bucket(String key, Supplier<BucketConfiguration> configuration) {
            return proxyManager.getProxy(keyPrefix + "bucket:" + key, configuration);
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }
}
