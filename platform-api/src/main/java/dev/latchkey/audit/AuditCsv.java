package dev.latchkey.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;

/**
 * Audit events as RFC 4180 CSV: a header line, CRLF line ends, and fields quoted (with quotes
 * doubled) when they hold a comma, a quote or a line break. A field that a spreadsheet would
 * run as a formula ({@code = + - @}, tab, CR) is prefixed with an apostrophe, so a crafted user
 * agent or name cannot execute in the reviewer's spreadsheet (OWASP "CSV injection").
 */
final class AuditCsv {

    static final String MEDIA_TYPE = "text/csv";
    static final List<String> COLUMNS = List.of("seq", "id", "occurred_at", "org_id", "actor_type", "actor_id",
            "action", "target_type", "target_id", "outcome", "ip", "user_agent", "request_id", "details");

    private final Writer out;

    AuditCsv(Writer out) {
        this.out = out;
    }

    void header() {
        line(COLUMNS);
    }

    void row(AuditEventView event) {
        line(Arrays.asList(event.seq() == null ? "" : Long.toString(event.seq()), string(event.id()), string(event.occurredAt()),
                string(event.orgId()), event.actorType(), event.actorId(), event.action(), event.targetType(),
                event.targetId(), event.outcome(), event.ip(), event.userAgent(), event.requestId(),
                AuditRows.json(event.details())));
    }

    private void line(List<String> fields) {
        try {
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(field(fields.get(i)));
            }
            out.write("\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String field(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String text = switch (value.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + value;
            default -> value;
        };
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
                || text.indexOf('\r') >= 0 || !text.equals(value);
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }
}
