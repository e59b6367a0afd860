package dev.latchkey.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvWriterTest {

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "plain|plain",
        "a,b|`\"a,b\"`",
        "say \"hi\"|`\"say \"\"hi\"\"\"`",
        "`line\nbreak`|`\"line\nbreak\"`",
        "=HYPERLINK(\"x\")|`\"'=HYPERLINK(\"\"x\"\")\"`",
        "+1|`\"'+1\"`",
        "-1|`\"'-1\"`",
        "@SUM(A1)|`\"'@SUM(A1)\"`",
    })
    void givenText_whenWrittenAsField_thenItIsQuotedOnlyWhenRfc4180OrFormulaSafetyNeedIt(String value,
            String expected) {
        assertThat(CsvWriter.field(value)).isEqualTo(expected);
    }

    @Test
    void givenNumbers_whenWritten_thenAsTheyAreEvenWhenNegative() {
        assertThat(CsvWriter.field(-1500L)).isEqualTo("-1500");
        assertThat(CsvWriter.field(7)).isEqualTo("7");
    }

    @Test
    void givenNullOrEmpty_whenWrittenAsField_thenTheFieldIsEmpty() {
        assertThat(CsvWriter.field(null)).isEmpty();
        assertThat(CsvWriter.field("")).isEmpty();
    }

    @Test
    void givenRecords_whenWritten_thenOneCrlfTerminatedLinePerRecord() {
        StringWriter out = new StringWriter();
        CsvWriter csv = new CsvWriter(out);
        UUID id = UUID.fromString("0b7c0a52-8e43-4cf4-9a52-4d0c8e0f0a11");

        csv.row("seq", "id", "at", "none", "details");
        csv.row(7L, id, Instant.parse("2025-03-01T12:34:56.123456Z"), null, "{\"to\":\"Acme, \\\"Inc\\\"\"}");

        assertThat(out.toString()).isEqualTo("seq,id,at,none,details\r\n"
                + "7,0b7c0a52-8e43-4cf4-9a52-4d0c8e0f0a11,2025-03-01T12:34:56.123456Z,,"
                + "\"{\"\"to\"\":\"\"Acme, \\\"\"Inc\\\"\"\"\"}\"\r\n");
    }
}
