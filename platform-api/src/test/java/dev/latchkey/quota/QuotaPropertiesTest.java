package dev.latchkey.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The quota settings bind with their defaults, and an impossible one stops the start naming the setting. */
class QuotaPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(QuotaProperties.class)
    static class Settings {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Settings.class);

    @Test
    void givenNothingSet_whenBound_thenTheRecordsDefaults() {
        context.run(started -> {
            QuotaProperties settings = started.getBean(QuotaProperties.class);
            assertThat(settings.alertThresholds()).containsExactly(50, 80, 100);
            assertThat(settings.lease().ttl()).isEqualTo(Duration.ofSeconds(60));
            assertThat(settings.lease().settleMargin()).isEqualTo(Duration.ofSeconds(25));
        });
    }

    @Test
    void givenThresholdsAsTheEnvironmentVariableWritesThem_whenBound_thenAList() {
        context.withPropertyValues("latchkey.quota.alert-thresholds=90,75").run(started ->
                assertThat(started.getBean(QuotaProperties.class).alertThresholds()).isEqualTo(List.of(90, 75)));
    }

    @Test
    void givenAThresholdOverAHundredPercentOrAMarginAsLongAsTheLease_whenStarting_thenItRefuses() {
        context.withPropertyValues("latchkey.quota.alert-thresholds=50,150").run(started ->
                assertThat(started).hasFailed().getFailure().rootCause().hasMessageContaining("alertThresholds"));
        context.withPropertyValues("latchkey.quota.lease.ttl=10s", "latchkey.quota.lease.settle-margin=10s")
                .run(started -> assertThat(started).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("latchkey.quota.lease.settle-margin must be shorter than its ttl"));
    }
}
