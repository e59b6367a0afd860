package dev.latchkey.ledger;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.validation.annotation.Validated;

/**
 * The ledger ({@code latchkey.ledger.*}): group commit and idempotency.
 *
 * @param commit group commit of billable requests
 * @param idempotency retries with the same {@code Idempotency-Key}
 */
@Validated
@ConfigurationProperties("latchkey.ledger")
record LedgerProperties(
        @DefaultValue @Valid Commit commit,
        @DefaultValue @Valid Idempotency idempotency) {

    /**
     * @param lanes lanes committing side by side
     * @param maxBatch requests per batch
     * @param maxWait how long a request waits for its batch before it is a 503 (nothing handed out);
     *        the setting is {@code wait}, which a record component cannot be called
     */
    record Commit(@DefaultValue("2") @Positive int lanes, @DefaultValue("256") @Positive int maxBatch,
            @Name("wait") @DefaultValue("5s") @NotNull Duration maxWait) {
    }

    /**
     * @param window how long a retry with the same Idempotency-Key gets the first result
     */
    record Idempotency(@DefaultValue("24h") @NotNull Duration window) {
    }
}
