package dev.latchkey.runtime.embedded;

import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The embedded default's database: a real PostgreSQL from Maven-shipped binaries, its data under
 * {@code <latchkey.home>/postgres}. It exists only while no {@code spring.datasource.url} is
 * configured (production mode refuses to start without one). The application connects as
 * {@link EmbeddedDatabase#APPLICATION}; Flyway migrates as {@link EmbeddedDatabase#OWNER}.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnExpression("'${spring.datasource.url:}' == ''")
public class EmbeddedDatabaseAutoConfiguration {

    static final String DATABASE = "latchkey";

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgresServer(Environment environment) {
        UnwritableHome.check(home(environment));
        return EmbeddedPostgresServer.start(home(environment).resolve("postgres"));
    }

    @Bean
    EmbeddedDatabase embeddedDatabase(EmbeddedPostgresServer server, Environment environment) {
        return EmbeddedDatabase.prepare(server, DATABASE, home(environment));
    }

    /** The pool settings ({@code spring.datasource.hikari.*}) apply to the embedded database too. */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedDatabase database) {
        return DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .url(database.jdbcUrl())
                .username(database.application())
                .password(database.applicationPassword())
                .build();
    }

    /** Migrations run as the schema owner, as in production. */
    @Bean
    FlywayConfigurationCustomizer embeddedDatabaseOwnerMigrates(EmbeddedDatabase database) {
        return configuration -> configuration.dataSource(database.jdbcUrl(), database.owner(), database.ownerPassword());
    }

    private static Path home(Environment environment) {
        return Path.of(environment.getProperty("latchkey.home", ".latchkey")).toAbsolutePath().normalize();
    }
}
