package dev.latchkey.ledger;

import java.util.Arrays;
import java.util.List;

/** The ledger export's columns: what one entry is as a CSV record (written by {@code CsvWriter}). */
final class LedgerCsv {

    static final List<String> COLUMNS = List.of("id", "occurred_at", "kind", "reverses", "provider", "operation",
            "quantity", "unit_price_micros", "amount_micros", "currency", "api_key_id", "credential_id",
            "credential_source", "end_user", "request_id", "note");

    private LedgerCsv() {
    }

    static List<Object> record(LedgerEntryView e) {
        return Arrays.asList(e.id(), e.occurredAt(), e.kind(), e.reverses(), e.provider(), e.operation(),
                e.quantity(), e.unitPriceMicros(), e.amountMicros(), e.currency(), e.apiKeyId(), e.credentialId(),
                e.credentialSource(), e.endUser(), e.requestId(), e.note());
    }
}
