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
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

@Configuration(proxyBeanMethods = false)
class BucketStoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(BucketStoreConfiguration.class);

    /**
     * Redis-backed buckets as soon as Redis is configured, in any mode, with per-instance buckets
     * as the fallback while Redis is unreachable.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${spring.data.redis.host:}' != '' or '${spring.data.redis.url:}' != ''")
    FailoverBucketStore redisBucketStore(DataRedisProperties redis, RedisKeyProperties keys,
            RateLimitsProperties settings) {
        Duration timeout = settings.redis().timeout();
        RedisURI uri;
        if (StringUtils.hasText(redis.getUrl())) {
            uri = RedisURI.create(redis.getUrl());
        } else {
            RedisURI.Builder builder = RedisURI.builder().withHost(redis.getHost()).withPort(redis.getPort())
                    .withDatabase(redis.getDatabase()).withSsl(redis.getSsl().isEnabled());
            String username = redis.getUsername();
            String password = redis.getPassword();
            if (StringUtils.hasText(password)) {
                builder = StringUtils.hasText(username) ? builder.withAuthentication(username, password)
                        : builder.withPassword(password.toCharArray());
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
                .socketOptions(SocketOptions.builder().connectTimeout(settings.redis().connectTimeout()).build())
                .build());
        log.info("Rate-limit buckets are kept in Redis at {}:{} (per-instance buckets while it is unreachable)",
                uri.getHost(), uri.getPort());
        return new FailoverBucketStore(new RedisBucketStore(client, resources, keys.keyPrefix(), timeout,
                settings.redis().highRateThreshold()), new InMemoryBucketStore(), settings.redis().retryAfterFailure());
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
