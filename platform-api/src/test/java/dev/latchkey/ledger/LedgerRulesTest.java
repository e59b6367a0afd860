package dev.latchkey.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.latchkey.credentials.Provider;
import dev.latchkey.web.LatchkeyException;

class LedgerRulesTest {

    @Test
    void givenAllowanceThresholds_whenComputingTheirMarks_thenTheyRoundUp() {
        assertThat(UsageAlerts.mark(20, 50)).isEqualTo(10);
        assertThat(UsageAlerts.mark(20, 80)).isEqualTo(16);
        assertThat(UsageAlerts.mark(20, 100)).isEqualTo(20);
        assertThat(UsageAlerts.mark(3, 50)).isEqualTo(2);
        assertThat(UsageAlerts.mark(1, 50)).isEqualTo(1);
    }

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

    @Test
    void givenFingerprintParts_whenTheyAreSplitDifferently_thenTheFingerprintsDiffer() {
        assertThat(BillableRequest.fingerprint("ab", "c")).isNotEqualTo(BillableRequest.fingerprint("a", "bc"))
                .hasSize(64).isEqualTo(BillableRequest.fingerprint("ab", "c"));
    }

    @Test
    void givenABillableRequest_whenItsClientSuppliedPartsAreBad_thenA400NamesThem() {
        assertThatThrownBy(() -> request("x".repeat(257), null)).isInstanceOf(LatchkeyException.class)
                .hasMessageStartingWith("end_user:");
        assertThatThrownBy(() -> request(null, " padded ")).isInstanceOf(LatchkeyException.class)
                .hasMessageStartingWith("Idempotency-Key:");
        assertThatThrownBy(() -> request(null, "k".repeat(256))).isInstanceOf(LatchkeyException.class);
        assertThat(request("user-1", "order-1").idempotencyKey()).isEqualTo("order-1");
    }

    @Test
    void givenAnAcceptHeader_whenChoosingTheLedgerFormat_thenCsvOnlyWhenItIsPreferred() {
        assertThat(LedgerController.prefersCsv("text/csv")).isTrue();
        assertThat(LedgerController.prefersCsv("text/csv, application/json;q=0.5")).isTrue();
        assertThat(LedgerController.prefersCsv("application/json, text/csv")).isFalse();
        assertThat(LedgerController.prefersCsv("*/*")).isFalse();
        assertThat(LedgerController.prefersCsv(null)).isFalse();
        assertThat(LedgerController.prefersCsv("text/csv;q=0")).isFalse();
    }

    private static BillableRequest request(String endUser, String idempotencyKey) {
        return new BillableRequest(UUID.randomUUID(), UUID.randomUUID(), Provider.OPENAI, "token.mint", 1, endUser,
                "req-1", idempotencyKey, "fp");
    }
}
