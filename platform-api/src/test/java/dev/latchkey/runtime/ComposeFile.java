package dev.latchkey.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml as Docker Compose reads it: the YAML (with its merge keys), and
 * {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR:?error}} interpolated from a .env file's
 * variables, {@code $$} for a literal dollar.
 */
final class ComposeFile {

    private static final Pattern INTERPOLATION = Pattern.compile(
            "\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    private final String text;
    private final Map<String, Object> document;

    private ComposeFile(String text) {
        this.text = text;
        this.document = new Yaml().load(text);
    }

    static ComposeFile read(Path file) {
        try {
            return new ComposeFile(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** KEY=VALUE lines of an .env file; comments and blank lines skipped. */
    static Map<String, String> readEnvFile(Path file) {
        try {
            Map<String, String> variables = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int equals = trimmed.indexOf('=');
                variables.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
            }
            return variables;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every variable the file interpolates. */
    Set<String> variables() {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = INTERPOLATION.matcher(text);
        while (matcher.find()) {
            if (matcher.group(1) != null) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> services() {
        return (Map<String, Object>) document.get("services");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> service(String name) {
        Map<String, Object> service = (Map<String, Object>) services().get(name);
        if (service == null) {
            throw new AssertionError("docker-compose.yml has no service " + name);
        }
        return service;
    }

    /** A service's environment as written, uninterpolated. */
    @SuppressWarnings("unchecked")
    Map<String, String> rawEnvironment(String service) {
        Object environment = service(service).get("environment");
        Map<String, String> values = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> map) {
            map.forEach((key, value) -> values.put(key.toString(), value == null ? "" : value.toString()));
        } else if (environment instanceof List<?> list) {
            for (Object entry : list) {
                String[] pair = entry.toString().split("=", 2);
                values.put(pair[0], pair.length > 1 ? pair[1] : "");
            }
        }
        return values;
    }

    /** A service's environment as the container gets it, interpolated from {@code variables}. */
    Map<String, String> environment(String service, Map<String, String> variables) {
        Map<String, String> values = new LinkedHashMap<>();
        rawEnvironment(service).forEach((key, value) -> values.put(key, interpolate(value, variables)));
        return values;
    }

    static String interpolate(String value, Map<String, String> variables) {
        Matcher matcher = INTERPOLATION.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (matcher.group(1) == null) {
                replacement = "$";
            } else {
                String name = matcher.group(1);
                String operator = matcher.group(2);
                String argument = matcher.group(3);
                String current = variables.get(name);
                boolean unsetOrEmpty = current == null || (current.isEmpty() && operator != null
                        && operator.startsWith(":"));
                if (operator != null && operator.endsWith("-")) {
                    replacement = unsetOrEmpty ? argument : current;
                } else if (operator != null && operator.endsWith("?")) {
                    if (unsetOrEmpty) {
                        throw new IllegalArgumentException("docker compose would refuse: " + argument);
                    }
                    replacement = current;
                } else {
                    replacement = current == null ? "" : current;
                }
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
