package dev.latchkey.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AuditChainTest {

    private static final String PREVIOUS = "ab".repeat(32);

    private static final AuditChain.Row ROW = new AuditChain.Row(42,
            UUID.fromString("0b7c0a52-8e43-4cf4-9a52-4d0c8e0f0a11"), Instant.parse("2025-03-01T12:34:56.123456Z"),
            UUID.fromString("7d3e2f10-5b1a-4c7e-8f20-3a4b5c6d7e8f"),
            "user", "2c9f3e4d-1a2b-4c3d-8e9f-0a1b2c3d4e5f", "api_key.created", "api_key",
            "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", "success", "203.0.113.7", "curl/8.5", "req-1",
            Map.of("name", "backend", "scopes", "admin"));

    @Test
    void givenSameRowAndPreviousHash_whenHashedTwice_thenTheHashIsTheSame() {
        String hash = AuditChain.hash(PREVIOUS, ROW);

        assertThat(hash).matches("[0-9a-f]{64}").isEqualTo(AuditChain.hash(PREVIOUS, copy(ROW)));
    }

    @Test
    void givenDifferentPreviousHash_whenHashing_thenTheHashDiffers() {
        assertThat(AuditChain.hash(AuditChain.GENESIS, ROW)).isNotEqualTo(AuditChain.hash(PREVIOUS, ROW));
        assertThat(AuditChain.hash("ab".repeat(31) + "ac", ROW)).isNotEqualTo(AuditChain.hash(PREVIOUS, ROW));
    }

    static Stream<String> rowFields() {
        return Arrays.stream(AuditChain.Row.class.getRecordComponents()).map(RecordComponent::getName);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rowFields")
    void givenAnyFieldChanged_whenHashing_thenTheHashDiffers(String field) {
        AuditChain.Row tampered = withChanged(ROW, field);

        assertThat(AuditChain.hash(PREVIOUS, tampered)).isNotEqualTo(AuditChain.hash(PREVIOUS, ROW));
    }

    @Test
    void givenCharactersMovedBetweenAdjacentFields_whenHashing_thenTheHashDiffers() {
        AuditChain.Row shifted = new AuditChain.Row(ROW.seq(), ROW.id(), ROW.occurredAt(), ROW.orgId(),
                ROW.actorType(), ROW.actorId(), "api_key.create", "dapi_key", ROW.targetId(), ROW.outcome(), ROW.ip(),
                ROW.userAgent(), ROW.requestId(), ROW.details());

        assertThat(AuditChain.hash(PREVIOUS, shifted)).isNotEqualTo(AuditChain.hash(PREVIOUS, ROW));
    }

    @Test
    void givenSameDetailsInAnotherOrder_whenCanonicalized_thenTheFormAndHashAreTheSame() {
        Map<String, String> forward = new LinkedHashMap<>();
        forward.put("a", "1");
        forward.put("m", "2");
        forward.put("z", "3");
        Map<String, String> backward = new LinkedHashMap<>();
        backward.put("z", "3");
        backward.put("m", "2");
        backward.put("a", "1");

        AuditChain.Row one = withDetails(ROW, forward);
        AuditChain.Row other = withDetails(ROW, backward);

        assertThat(AuditChain.canonical(one)).isEqualTo(AuditChain.canonical(other));
        assertThat(AuditChain.hash(PREVIOUS, one)).isEqualTo(AuditChain.hash(PREVIOUS, other));
    }

    @Test
    void givenRow_whenCanonicalized_thenItIsCompactJsonInAFixedMemberOrder() {
        String canonical = AuditChain.canonical(ROW);

        assertThat(canonical).startsWith("{\"seq\":42,\"id\":\"0b7c0a52-8e43-4cf4-9a52-4d0c8e0f0a11\","
                + "\"occurred_at_micros\":1740832496123456,")
                .endsWith("\"details\":{\"name\":\"backend\",\"scopes\":\"admin\"}}")
                .doesNotContain(" :").doesNotContain("\n");
    }

    private static AuditChain.Row copy(AuditChain.Row row) {
        return withDetails(row, new LinkedHashMap<>(row.details()));
    }

    private static AuditChain.Row withDetails(AuditChain.Row row, Map<String, String> details) {
        return new AuditChain.Row(row.seq(), row.id(), row.occurredAt(), row.orgId(), row.actorType(), row.actorId(),
                row.action(), row.targetType(), row.targetId(), row.outcome(), row.ip(), row.userAgent(),
                row.requestId(), details);
    }

    /** A copy of the row with one component given another value of its type. */
    private static AuditChain.Row withChanged(AuditChain.Row row, String field) {
        RecordComponent[] components = AuditChain.Row.class.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                Object value = components[i].getAccessor().invoke(row);
                values[i] = components[i].getName().equals(field) ? changed(value) : value;
            }
            return AuditChain.Row.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object changed(Object value) {
        if (value instanceof Long number) {
            return number + 1;
        }
        if (value instanceof UUID) {
            return UUID.randomUUID();
        }
        if (value instanceof Instant instant) {
            return instant.plusNanos(1_000); // rows are stored with microsecond precision
        }
        if (value instanceof String text) {
            return text + "x";
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> more = new LinkedHashMap<>(map);
            more.put("scopes", "admin tokens:mint");
            return more;
        }
        throw new IllegalArgumentException("no way to change a " + value.getClass());
    }
}
