package dev.latchkey.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Provider;

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

    private static BillableRequest request(String endUser, String idempotencyKey) {
        return new BillableRequest(UUID.randomUUID(), UUID.randomUUID(), Provider.OPENAI, "token.mint", 1, endUser,
                "req-1", idempotencyKey, "fp");
    }
}
