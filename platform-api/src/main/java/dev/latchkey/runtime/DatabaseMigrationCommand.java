package dev.latchkey.runtime;

import java.util.Map;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * {@code java -jar latchkey.jar migrate}: runs the migrations and exits, as the schema owner
 * ({@code SPRING_FLYWAY_USER} / {@code _PASSWORD}), granting the application's role
 * ({@code SPRING_DATASOURCE_USERNAME}) its rights. The Helm chart's pre-install/pre-upgrade job
 * and docker-compose's {@code migrations} service run it, so that the application pods never
 * hold the owner's credentials. Reads the same settings as the application, starts nothing else.
 */
public final class DatabaseMigrationCommand {

    public static final String NAME = "migrate";

    private static final Logger log = LoggerFactory.getLogger(DatabaseMigrationCommand.class);

    private DatabaseMigrationCommand() {
    }

    public static void run(String[] arguments) {
        SpringApplication application = new SpringApplication(Migrations.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        // Lowest precedence: the owner's own settings (SPRING_FLYWAY_*) win over these fallbacks.
        application.setDefaultProperties(Map.of(
                RuntimeModeEnvironment.COMMAND_PROPERTY, NAME,
                "spring.flyway.url", "${spring.datasource.url:}",
                "spring.flyway.user", "${spring.datasource.username:}",
                "spring.flyway.password", "${spring.datasource.password:}"));
        String[] withMigrationsOn = Stream.concat(Stream.of(arguments), Stream.of("--spring.flyway.enabled=true"))
                .toArray(String[]::new);
        try (ConfigurableApplicationContext context = application.run(withMigrationsOn)) {
            MigrationInfo current = context.getBean(Flyway.class).info().current();
            log.info("The database is at schema version {}", current == null ? "none" : current.getVersion());
        }
    }

    /** Flyway and the application-role placeholder; no web server, no data source of the application's. */
    @ImportAutoConfiguration(FlywayAutoConfiguration.class)
    @Import(ApplicationRolePlaceholder.class)
    static final class Migrations {
    }
}
