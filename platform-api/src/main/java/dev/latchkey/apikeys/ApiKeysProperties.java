package dev.latchkey.apikeys;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Platform API keys ({@code latchkey.api-keys.*}).
 *
 * @param pepper 32+ random bytes, base64: the HMAC pepper of platform API keys (generated in the
 *        embedded default; required in production)
 * @param cacheTtl the longest a verified key is cached; must stay under one second
 * @param lookupsPerSecond keys an instance has not seen, looked up per second per client address
 */
@Validated
@ConfigurationProperties("latchkey.api-keys")
record ApiKeysProperties(
        @DefaultValue("") String pepper,
        @DefaultValue("500ms") @NotNull Duration cacheTtl,
        @DefaultValue("50") @Positive int lookupsPerSecond) {

    ApiKeysProperties {
        // A revoked key must stop working everywhere within a second even if the change feed is late.
        if (cacheTtl != null && cacheTtl.compareTo(Duration.ofSeconds(1)) >= 0) {
            throw new IllegalStateException("latchkey.api-keys.cache-ttl must stay under one second:"
                    + " it bounds how long a revoked key keeps working");
        }
    }

    @Override
    public String toString() {
        return "ApiKeysProperties[pepper=" + (pepper.isEmpty() ? "" : "***") + ", cacheTtl=" + cacheTtl
                + ", lookupsPerSecond=" + lookupsPerSecond + "]";
    }
}
