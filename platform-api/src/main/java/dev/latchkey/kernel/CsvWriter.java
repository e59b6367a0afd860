package dev.latchkey.kernel;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;

/**
 * The one CSV writer of every export: RFC 4180, UTF-8, a header line, CRLF line ends, and fields
 * quoted (quotes doubled) when they hold a comma, a quote or a line break. Text that a
 * spreadsheet would run as a formula ({@code = + - @}, tab, CR) is prefixed with an apostrophe
 * (and quoted), so a crafted name, user agent or {@code end_user} cannot execute in the reader's
 * spreadsheet (OWASP "CSV injection"); numbers are written as they are.
 *
 * <p>A list that also exports CSV is two handler methods told apart by {@code produces}, never by
 * reading {@code Accept} by hand: the JSON one produces {@code application/json} and
 * {@code *}{@code /*} (so that a missing header, a wildcard, or JSON listed first gets JSON), the
 * export produces {@link #MEDIA_TYPE} (so {@code text/csv} or {@code text/*} preferred to JSON
 * gets CSV).
 */
public final class CsvWriter {

    public static final String MEDIA_TYPE = "text/csv";

    private final Writer out;

    public CsvWriter(Writer out) {
        this.out = out;
    }

    /**
     * Streams an export as a download named {@code fileName}.csv. The headers are set, and the
     * body opened, only when {@code export} asks for the writer, which it does after its access
     * and input checks: a refused export is an ordinary problem response.
     */
    public static void download(HttpServletResponse response, String fileName, Consumer<Supplier<CsvWriter>> export) {
        CsvWriter[] writer = new CsvWriter[1];
        export.accept(() -> {
            response.setContentType(MEDIA_TYPE + ";charset=UTF-8");
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + ".csv\"");
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            try {
                writer[0] = new CsvWriter(new BufferedWriter(new OutputStreamWriter(response.getOutputStream(),
                        StandardCharsets.UTF_8), 16 * 1024));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return writer[0];
        });
        if (writer[0] != null) {
            writer[0].flush();
        }
    }

    /** One record; {@code null} is an empty field. */
    public void row(Object... fields) {
        row(Arrays.asList(fields));
    }

    public void row(List<?> fields) {
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

    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One field as it is written: numbers as they are, anything else as defused, quoted text. */
    static String field(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number number) {
            return number.toString();
        }
        String raw = value.toString();
        if (raw.isEmpty()) {
            return "";
        }
        String text = switch (raw.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + raw;
            default -> raw;
        };
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
                || text.indexOf('\r') >= 0 || !text.equals(raw);
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
