package dev.latchkey.runtime;

import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Production mode ({@code LATCHKEY_MODE=production} or the {@code production} profile), decided
 * once the configuration is read and before logging or any bean starts: it refuses to start
 * on embedded or generated parts, naming all that is missing, and turns on production
 * defaults (secure cookies, JSON logs) that explicit settings may still override.
 * Registered in {@code META-INF/spring.factories}.
 */
public class ProductionModeEnvironment implements EnvironmentPostProcessor, Ordered {

    static final Map<String, Object> PRODUCTION_DEFAULTS = Map.of(
            "server.servlet.session.cookie.secure", "true",
            "logging.structured.format.console", "ecs",
            "latchkey.accounts.require-email-verification", "true");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (RuntimeMode.of(environment) != RuntimeMode.PRODUCTION) {
            return;
        }
        List<String> missing = ProductionRequirements.missing(environment);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Production mode refuses to start; it needs:\n  - "
                    + String.join("\n  - ", missing));
        }
        environment.getPropertySources().addLast(new MapPropertySource("latchkeyProductionDefaults",
                PRODUCTION_DEFAULTS));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
