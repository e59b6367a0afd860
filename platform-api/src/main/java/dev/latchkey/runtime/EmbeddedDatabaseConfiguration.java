package dev.latchkey.runtime;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded default's database: a real PostgreSQL from Maven-shipped binaries, its data
 * under {@code <latchkey.home>/postgres}. It exists only while no {@code spring.datasource.url}
 * is configured; production mode never gets here (it refuses to start without one).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}' == ''")
class EmbeddedDatabaseConfiguration {

    static final String DATABASE = "latchkey";

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgresServer(LatchkeyHome home) {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(home.directory().resolve("postgres"));
        server.ensureDatabase(DATABASE);
        return server;
    }

    /** The pool settings ({@code spring.datasource.hikari.*}) apply to the embedded database too. */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgresServer server) {
        return DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .url(server.jdbcUrl(DATABASE))
                .username(server.username())
                .build();
    }
}
