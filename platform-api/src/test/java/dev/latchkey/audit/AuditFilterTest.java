package dev.latchkey.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import dev.latchkey.kernel.LatchkeyException;

class AuditFilterTest {

    @Test
    void givenEveryFilter_whenParsed_thenEachIsKept() {
        UUID orgId = UUID.randomUUID();
        AuditFilter filter = AuditFilter.parse(query("org_id", orgId.toString(), "action", "api_key.*",
                "actor", "abc", "actor_type", "user", "outcome", "denied", "target_type", "api_key", "target_id", "k1",
                "from", "2025-01-01T00:00:00Z", "to", "2025-01-02T02:00:00+02:00", "order", "asc"), true);

        assertThat(filter).isEqualTo(new AuditFilter(orgId, "api_key.*", "abc", "user", "denied", "api_key", "k1",
                Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-02T00:00:00Z"), true));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "outcome, maybe, outcome",
        "actor_type, robot, actor_type",
        "action, DROP TABLE, action",
        "from, yesterday, from",
        "to, 2025-13-01T00:00:00Z, to",
        "order, sideways, order",
        "org_id, not-a-uuid, org_id",
        "actor_id, someone, actor_id",
    })
    void givenInvalidOrUnknownParameter_whenParsed_thenTheProblemNamesIt(String name, String value, String field) {
        assertThatThrownBy(() -> AuditFilter.parse(query(name, value), true))
                .isInstanceOfSatisfying(LatchkeyException.class, e -> assertThat(e.fieldProblems())
                        .extracting(p -> p.field()).containsExactly(field));
    }

    @Test
    void givenOrgFilterOnAnOrganizationsOwnLog_whenParsed_thenItIsUnknown() {
        assertThatThrownBy(() -> AuditFilter.parse(query("org_id", UUID.randomUUID().toString()), false))
                .isInstanceOf(LatchkeyException.class).hasMessageContaining("org_id");
    }

    @Test
    void givenTimeRangeEndingBeforeItStarts_whenParsed_thenToIsNamed() {
        assertThatThrownBy(() -> AuditFilter.parse(query("from", "2025-01-02T00:00:00Z", "to", "2025-01-01T00:00:00Z"),
                false)).isInstanceOf(LatchkeyException.class).hasMessageStartingWith("to:");
    }

    @Test
    void givenCursor_whenDecodedForTheOtherOrder_thenRefused() {
        String cursor = new AuditCursor(42, false).encode();

        assertThat(AuditCursor.decode(cursor, false)).isEqualTo(new AuditCursor(42, false));
        assertThatThrownBy(() -> AuditCursor.decode(cursor, true)).isInstanceOf(LatchkeyException.class);
        assertThatThrownBy(() -> AuditCursor.decode("bm9wZQ", false)).isInstanceOf(LatchkeyException.class);
    }

    private static MultiValueMap<String, String> query(String... namesAndValues) {
        MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            query.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return query;
    }
}
