package dev.latchkey.ledger;

/**
 * The ledger's CSV export (RFC 4180, UTF-8). Text a tenant controls ({@code end_user},
 * {@code request_id}, {@code note}) is defused against spreadsheet formula injection.
 */
final class LedgerCsv {

    static final String HEADER = "id,occurred_at,kind,reverses,provider,operation,quantity,unit_price_micros,"
            + "amount_micros,currency,api_key_id,credential_id,credential_source,end_user,request_id,note\r\n";

    private LedgerCsv() {
    }

    static String row(LedgerEntryView e) {
        return String.join(",", text(e.id()), text(e.occurredAt()), text(e.kind()), text(e.reverses()),
                text(e.provider()), text(e.operation()), Long.toString(e.quantity()),
                Long.toString(e.unitPriceMicros()), Long.toString(e.amountMicros()), text(e.currency()),
                text(e.apiKeyId()), text(e.credentialId()), text(e.credentialSource()), defused(e.endUser()),
                defused(e.requestId()), defused(e.note())) + "\r\n";
    }

    private static String text(Object value) {
        return value == null ? "" : quoted(value.toString());
    }

    private static String defused(String value) {
        if (value == null) {
            return "";
        }
        boolean formula = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0;
        return quoted(formula ? "'" + value : value);
    }

    private static String quoted(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
