package dev.latchkey.ratelimit;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Latchkey's keys in Redis ({@code latchkey.redis.*}).
 *
 * @param keyPrefix prefix of every Redis key
 */
@Validated
@ConfigurationProperties("latchkey.redis")
record RedisKeyProperties(@DefaultValue("latchkey:") @NotNull String keyPrefix) {
}
