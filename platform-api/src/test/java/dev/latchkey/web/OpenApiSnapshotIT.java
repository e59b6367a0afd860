package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The console generates its API types from {@code platform-web/openapi.json} at build time, before
 * this application is built, so that snapshot must be the document the application serves. When an
 * endpoint or a record changes, this test fails and writes the new document beside the build's
 * output for the developer to copy over the snapshot.
 */
class OpenApiSnapshotIT extends IntegrationTest {

    private static final Path SNAPSHOT = Path.of("..", "platform-web", "openapi.json");
    private static final Path CURRENT = Path.of("target", "openapi.json");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    @Test
    void givenTheRunningApplication_whenReadingItsOpenApiDocument_thenTheConsoleSnapshotIsThatDocument()
            throws IOException {
        ApiClient.Response response = client().get("/v3/api-docs");
        assertThat(response.status()).as("GET /v3/api-docs").isEqualTo(200);

        String current = canonical(response.json());
        Files.writeString(CURRENT, current, StandardCharsets.UTF_8);
        String snapshot = Files.exists(SNAPSHOT) ? Files.readString(SNAPSHOT, StandardCharsets.UTF_8) : "";

        assertThat(snapshot)
                .withFailMessage(() -> "The API changed: platform-web/openapi.json is not the document the"
                        + " application serves, so the console's generated types are stale. The new document is in"
                        + " platform-api/" + CURRENT + "; copy it over the snapshot:%n"
                        + "  cp platform-api/target/openapi.json platform-web/openapi.json%n"
                        + "then rebuild the console (its types come from that file) and fix what no longer compiles.")
                .isEqualTo(current);
    }

    /**
     * The document without what differs from run to run (the server's address, which holds the
     * random port) and with every object's keys sorted, so that a diff shows only real changes.
     */
    static String canonical(JsonNode document) {
        ObjectNode copy = (ObjectNode) document.deepCopy();
        copy.remove("servers");
        return JSON.writeValueAsString(sorted(JSON.treeToValue(copy, Object.class))) + "\n";
    }

    @SuppressWarnings("unchecked")
    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> result = new TreeMap<>();
            map.forEach((key, item) -> result.put((String) key, sorted(item)));
            return result;
        }
        if (value instanceof java.util.List<?> list) {
            return list.stream().map(OpenApiSnapshotIT::sorted).toList();
        }
        return value;
    }
}
