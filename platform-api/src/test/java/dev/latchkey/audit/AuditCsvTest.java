package dev.latchkey.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditCsvTest {

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
    void givenValue_whenWrittenAsField_thenItIsQuotedOnlyWhenRfc4180OrFormulaSafetyNeedIt(String value,
            String expected) {
        assertThat(AuditCsv.field(value)).isEqualTo(expected);
    }

    @Test
    void givenNullOrEmpty_whenWrittenAsField_thenTheFieldIsEmpty() {
        assertThat(AuditCsv.field(null)).isEmpty();
        assertThat(AuditCsv.field("")).isEmpty();
    }

    @Test
    void givenEvent_whenWritten_thenOneCrlfTerminatedLinePerRecordAfterTheHeader() {
        StringWriter out = new StringWriter();
        AuditCsv csv = new AuditCsv(out);
        UUID id = UUID.fromString("0b7c0a52-8e43-4cf4-9a52-4d0c8e0f0a11");

        csv.header();
        csv.row(new AuditEventView(7L, true, id, Instant.parse("2025-03-01T12:34:56.123456Z"), null, "system", null,
                "organization.renamed", "organization", "x", "success", null, "curl/8", null,
                Map.of("to", "Acme, \"Inc\"")));

        assertThat(out.toString()).isEqualTo(
                "seq,id,occurred_at,org_id,actor_type,actor_id,action,target_type,target_id,outcome,ip,user_agent,"
                        + "request_id,details\r\n"
                        + "7,0b7c0a52-8e43-4cf4-9a52-4d0c8e0f0a11,2025-03-01T12:34:56.123456Z,,system,,"
                        + "organization.renamed,organization,x,success,,curl/8,,\"{\"\"to\"\":\"\"Acme, \\\"\"Inc\\\"\"\"\"}\"\r\n");
    }
}
