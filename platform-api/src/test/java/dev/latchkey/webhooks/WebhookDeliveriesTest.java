package dev.latchkey.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class WebhookDeliveriesTest {

    @Test
    void givenFailedAttempts_whenScheduling_thenTheDelayDoublesUpToTheCap() {
        Duration initial = Duration.ofSeconds(10);
        Duration cap = Duration.ofMinutes(1);

        assertThat(WebhookDeliveries.backoff(1, initial, cap)).isEqualTo(Duration.ofSeconds(10));
        assertThat(WebhookDeliveries.backoff(2, initial, cap)).isEqualTo(Duration.ofSeconds(20));
        assertThat(WebhookDeliveries.backoff(3, initial, cap)).isEqualTo(Duration.ofSeconds(40));
        assertThat(WebhookDeliveries.backoff(4, initial, cap)).isEqualTo(cap);
        assertThat(WebhookDeliveries.backoff(40, initial, cap)).isEqualTo(cap);
    }
}
