package dev.latchkey.ledger;

import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The bulkhead of billable requests, named {@code latchkey.broker.max-in-flight} after what users
 * see (the broker's endpoints), but enforced by the metering path here: the ledger must not depend
 * on the broker, whose other settings are broker/BrokerProperties.
 *
 * @param maxInFlight billable requests in progress per instance; more are a 503 at once
 */
@Validated
@ConfigurationProperties("latchkey.broker")
record BulkheadProperties(@DefaultValue("512") @Positive int maxInFlight) {
}
