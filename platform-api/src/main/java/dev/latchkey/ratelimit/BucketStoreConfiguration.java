package dev.latchkey.ratelimit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

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

    /**
     * Redis-backed buckets as soon as Redis is configured, in any mode, with per-instance buckets
     * as the fallback while Redis is unreachable.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${spring.data.redis.host:}' != '' or '${spring.data.redis.url:}' != ''")
    FailoverBucketStore redisBucketStore(@Value("${spring.data.redis.url:}") String url,
            @Value("${spring.data.redis.host:}") String host, @Value("${spring.data.redis.port:6379}") int port,
            @Value("${spring.data.redis.username:}") String username,
            @Value("${spring.data.redis.password:}") String password,
            @Value("${spring.data.redis.database:0}") int database,
            @Value("${spring.data.redis.ssl.enabled:false}") boolean ssl,
            @Value("${latchkey.redis.key-prefix:latchkey:}") String keyPrefix,
            @Value("${latchkey.rate-limits.redis.timeout:500ms}") Duration timeout,
            @Value("${latchkey.rate-limits.redis.connect-timeout:1s}") Duration connectTimeout,
            @Value("${latchkey.rate-limits.redis.retry-after-failure:5s}") Duration retryAfterFailure,
            @Value("${latchkey.rate-limits.redis.high-rate-threshold:100}") long highRateThreshold) {
        RedisURI uri;
        if (!url.isBlank()) {
            uri = RedisURI.create(url);
        } else {
            RedisURI.Builder builder = RedisURI.builder().withHost(host).withPort(port).withDatabase(database)
                    .withSsl(ssl);
            if (!password.isBlank()) {
                builder = username.isBlank() ? builder.withPassword(password.toCharArray())
                        : builder.withAuthentication(username, password);
            }
            uri = builder.build();
        }
        uri.setTimeout(timeout);
        ClientResources resources = ClientResources.builder()
                // Reconnect soon after Redis returns: at most two seconds apart, not Lettuce's default 30.
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                // Fail at once while the connection is down instead of queueing until the timeout.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
                .build());
        log.info("Rate-limit buckets are kept in Redis at {}:{} (per-instance buckets while it is unreachable)",
                uri.getHost(), uri.getPort());
        return new FailoverBucketStore(new RedisBucketStore(client, resources, keyPrefix, timeout, highRateThreshold),
                new InMemoryBucketStore(), retryAfterFailure);
    }

    @Bean
    @ConditionalOnMissingBean(BucketStore.class)
    InMemoryBucketStore inMemoryBucketStore() {
        log.warn("Rate-limit buckets are kept in this process only (no Redis configured): limits are per instance");
        return new InMemoryBucketStore();
    }

    @Bean
    RateLimitsHealthIndicator rateLimitsHealthIndicator(BucketStore store) {
        return new RateLimitsHealthIndicator(store instanceof FailoverBucketStore failover ? failover : null);
    }
}
