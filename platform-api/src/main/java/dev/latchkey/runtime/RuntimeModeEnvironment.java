package dev.latchkey.runtime;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;

/**
 * The runtime mode's defaults and requirements, decided once the configuration is read and
 * before logging or any bean starts. Registered in {@code META-INF/spring.factories}.
 *
 * <p>Production mode ({@code LATCHKEY_MODE=production} or the {@code production} profile)
 * refuses to start on embedded or generated parts, naming all that is missing, and turns on
 * production defaults (secure cookies, JSON logs, email verification). The embedded default
 * listens on 127.0.0.1 only. A mode's defaults outrank the defaults packaged in the jar
 * ({@code application.yml}) and yield to every explicit setting: environment variables, system
 * properties, command-line arguments, configuration files outside the jar.
 */
public class RuntimeModeEnvironment implements EnvironmentPostProcessor, Ordered {

    static final Map<String, Object> PRODUCTION_DEFAULTS = Map.of(
            "server.servlet.session.cookie.secure", "true",
            "logging.structured.format.console", "ecs",
            "latchkey.accounts.require-email-verification", "true");

    static final Map<String, Object> EMBEDDED_DEFAULTS = Map.of(
            "server.address", "127.0.0.1");

    /** Set by {@link DatabaseMigrationCommand}: a run that only migrates the database. */
    static final String COMMAND_PROPERTY = "latchkey.command";

    /** The embedded runtime's entry point, present with {@code spring-boot:run} and absent from the packaged jar. */
    static final String EMBEDDED_RUNTIME = "dev.latchkey.runtime.embedded.EmbeddedDatabaseAutoConfiguration";

    /** Config data that the jar itself carries: {@code classpath:application.yml} and its profile variants. */
    private static final Pattern PACKAGED_CONFIGURATION = Pattern.compile(
            ".*class path resource \\[application(-[^\\]/]+)?\\.(yml|yaml|properties)\\].*");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean migrating = "migrate".equals(environment.getProperty(COMMAND_PROPERTY));
        if (RuntimeMode.of(environment) == RuntimeMode.PRODUCTION) {
            List<String> missing = migrating ? ProductionRequirements.missingForMigrations(environment)
                    : ProductionRequirements.missing(environment);
            if (!missing.isEmpty()) {
                throw new IllegalStateException("Production mode refuses to start; it needs:\n  - "
                        + String.join("\n  - ", missing));
            }
            addDefaults(environment, "latchkeyProductionDefaults", PRODUCTION_DEFAULTS);
            return;
        }
        if (!migrating && !has(environment, "spring.datasource.url")
                && !ClassUtils.isPresent(EMBEDDED_RUNTIME, application.getClassLoader())) {
            throw new IllegalStateException("No database is configured (SPRING_DATASOURCE_URL, _USERNAME, _PASSWORD)"
                    + " and this build carries no embedded PostgreSQL: the packaged jar is the production build."
                    + " Configure a database (see the README's docker-compose and Helm sections), or run the"
                    + " embedded default from the sources: ./mvnw -DskipTests -pl platform-api -am package"
                    + " spring-boot:run");
        }
        addDefaults(environment, "latchkeyEmbeddedDefaults", EMBEDDED_DEFAULTS);
    }

    /**
     * Just above the jar's own configuration files, so that a mode default beats what
     * {@code application.yml} says (and the settings records' defaults, e.g. AccountsProperties'
     * {@code require-email-verification: false}) and loses to anything an operator sets.
     */
    static void addDefaults(ConfigurableEnvironment environment, String name, Map<String, Object> defaults) {
        MapPropertySource source = new MapPropertySource(name, defaults);
        for (PropertySource<?> existing : environment.getPropertySources()) {
            if (PACKAGED_CONFIGURATION.matcher(existing.getName()).matches()) {
                environment.getPropertySources().addBefore(existing.getName(), source);
                return;
            }
        }
        environment.getPropertySources().addLast(source);
    }

    private static boolean has(ConfigurableEnvironment environment, String property) {
        String value = environment.getProperty(property);
        return value != null && !value.isBlank();
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
