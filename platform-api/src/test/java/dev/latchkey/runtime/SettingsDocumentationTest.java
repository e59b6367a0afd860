package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.latchkey.credentials.ProviderSettings;

/**
 * The README's configuration table against the settings the application reads: the metadata that
 * spring-boot-configuration-processor generates from the {@code @ConfigurationProperties} records
 * (their names, and their {@code @DefaultValue}s, the one place defaults live), plus the few read
 * from the environment (META-INF/additional-spring-configuration-metadata.json).
 *
 * <p>The table writes related variables in short: {@code `LATCHKEY_UPSTREAM_CONNECT_TIMEOUT`,
 * `_READ_TIMEOUT`} is {@code LATCHKEY_UPSTREAM_READ_TIMEOUT}: a suffix replaces the trailing words
 * of the variable before it (or is appended to it). Its defaults are compared where the cell is
 * nothing but one default per variable.
 */
class SettingsDocumentationTest {

    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final String PROVIDERS = "latchkey.providers";

    private static Map<String, Setting> settings;
    private static List<Row> rows;

    /** One setting of the metadata, by its environment variable. */
    private record Setting(String property, String defaultValue) {
    }

    /** One row of the README's table whose variables are Latchkey's own. */
    private record Row(List<String> variables, String defaults) {
    }

    @BeforeAll
    static void read() throws IOException {
        settings = settings();
        rows = readmeRows();
    }

    @Test
    void givenTheSettingsRecords_whenTheReadmeTableIsRead_thenItNamesEveryOne() {
        Set<String> documented = rows.stream().flatMap(row -> row.variables().stream())
                .collect(Collectors.toCollection(TreeSet::new));

        Set<String> undocumented = new TreeSet<>(settings.keySet());
        undocumented.removeAll(documented);

        assertThat(undocumented).as("settings the README's configuration table leaves out").isEmpty();
    }

    @Test
    void givenTheReadmeTable_whenItsVariablesAreLookedUp_thenEachIsASettingTheApplicationReads() {
        Set<String> unknown = rows.stream().flatMap(row -> row.variables().stream())
                .filter(variable -> !settings.containsKey(variable))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(unknown).as("README variables no settings record (or environment read) declares").isEmpty();
    }

    @Test
    void givenTheReadmeTable_whenItStatesDefaults_thenTheyAreTheRecordsDefaults() {
        List<String> disagreements = new ArrayList<>();
        int compared = 0;
        for (Row row : rows) {
            List<String> defaults = defaultsOf(row);
            if (defaults == null) {
                continue;
            }
            for (int i = 0; i < defaults.size(); i++) {
                Setting setting = settings.get(row.variables().get(i));
                if (setting == null || setting.defaultValue() == null) {
                    continue;
                }
                compared++;
                if (!setting.defaultValue().equals(defaults.get(i))) {
                    disagreements.add(row.variables().get(i) + ": README `" + defaults.get(i) + "`, "
                            + setting.property() + " `" + setting.defaultValue() + "`");
                }
            }
        }

        assertThat(disagreements).isEmpty();
        assertThat(compared).as("defaults compared").isGreaterThan(40);
    }

    @Test
    void givenTomcatsFormBodyLimit_whenApplicationYmlFallsBackToTheBodySizeSetting_thenWithItsDefault()
            throws IOException {
        String yml = Files.readString(Repository.file("platform-api/src/main/resources/application.yml"));

        assertThat(yml).contains("max-http-form-post-size: ${latchkey.http.max-body-size:"
                + settings.get("LATCHKEY_HTTP_MAX_BODY_SIZE").defaultValue() + "}");
    }

    /** The defaults of a row, one per variable, or null where the cell says more than that. */
    private static List<String> defaultsOf(Row row) {
        String cell = row.defaults().replaceAll("\\([^)]*\\)", "").strip();
        if (cell.equals("—")) {
            return row.variables().stream().map(variable -> "").toList();
        }
        List<String> values = new ArrayList<>();
        Matcher code = CODE.matcher(cell);
        while (code.find()) {
            values.add(code.group(1));
        }
        String rest = CODE.matcher(cell).replaceAll("").replaceAll("[/,;+]|\\bor\\b", "").strip();
        return rest.isEmpty() && values.size() == row.variables().size() ? values : null;
    }

    private static Map<String, Setting> settings() throws IOException {
        Map<String, Setting> byVariable = new LinkedHashMap<>();
        JsonMapper json = JsonMapper.builder().build();
        for (String resource : List.of("META-INF/spring-configuration-metadata.json",
                "META-INF/additional-spring-configuration-metadata.json")) {
            try (InputStream in = SettingsDocumentationTest.class.getClassLoader().getResourceAsStream(resource)) {
                assertThat(in).as(resource).isNotNull();
                for (JsonNode property : json.readTree(in).get("properties")) {
                    String name = property.get("name").asString();
                    if (!name.startsWith("latchkey.") || name.equals(PROVIDERS)) {
                        continue;
                    }
                    JsonNode value = property.get("defaultValue");
                    byVariable.put(variable(name), new Setting(name, value == null ? null : text(value)));
                }
            }
        }
        // A map per provider: documented with a placeholder for the provider.
        for (var component : ProviderSettings.Setting.class.getRecordComponents()) {
            String name = PROVIDERS + ".<provider>." + kebab(component.getName());
            byVariable.put(variable(name), new Setting(name, null));
        }
        return byVariable;
    }

    /** A default as the README writes it: a list as {@code 50,80,100}. */
    private static String text(JsonNode value) {
        String text = value.isString() ? value.asString() : value.toString();
        return text.startsWith("[") ? text.replaceAll("[\\[\\]\" ]", "") : text;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** Spring Boot's relaxed binding: {@code latchkey.api-keys.cache-ttl} is {@code LATCHKEY_API_KEYS_CACHE_TTL}. */
    private static String variable(String property) {
        return property.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static List<Row> readmeRows() throws IOException {
        List<String> lines = Files.readAllLines(Repository.file("README.md"));
        int header = lines.indexOf("| setting | default | meaning |");
        assertThat(header).as("the README's configuration table header").isNotNegative();
        List<Row> found = new ArrayList<>();
        for (String line : lines.subList(header + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.split("(?<!\\\\)\\|");
            List<String> variables = variables(cells[1]);
            if (!variables.isEmpty()) {
                found.add(new Row(variables, cells[2].strip()));
            }
        }
        assertThat(found).as("rows of Latchkey's own settings").hasSizeGreaterThan(40);
        return found;
    }

    /** The variables a name cell lists, its short forms expanded; empty for rows of Spring Boot's settings. */
    private static List<String> variables(String cell) {
        List<String> tokens = new ArrayList<>();
        Matcher code = CODE.matcher(cell);
        while (code.find()) {
            tokens.add(code.group(1));
        }
        if (tokens.isEmpty() || !tokens.get(0).startsWith("LATCHKEY_")) {
            return List.of();
        }
        Set<String> variables = new LinkedHashSet<>();
        String previous = null;
        for (String token : tokens) {
            String variable = token.startsWith("_") ? expand(previous, token) : token;
            variables.add(variable);
            previous = variable;
        }
        return List.copyOf(variables);
    }

    /** {@code _READ_TIMEOUT} after {@code LATCHKEY_UPSTREAM_CONNECT_TIMEOUT}: the first reading that is a setting. */
    private static String expand(String previous, String suffix) {
        List<String> words = Arrays.asList(previous.split("_"));
        String fallback = null;
        for (int keep = words.size(); keep > 1; keep--) {
            String candidate = String.join("_", words.subList(0, keep)) + suffix;
            if (!candidate.equals(previous) && settings.containsKey(candidate)) {
                return candidate;
            }
            fallback = fallback == null ? candidate : fallback;
        }
        return fallback;
    }
}
