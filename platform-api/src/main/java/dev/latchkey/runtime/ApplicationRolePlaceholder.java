package dev.latchkey.runtime;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.core.env.Environment;

/**
 * Gives the migrations the name of the role the application connects as, in the Flyway
 * placeholder {@code ${application_role}}: the migrations grant that role what the application
 * needs and no more. It is {@code spring.datasource.username} or, when the data source names no
 * user (the embedded default), the role it signs in as. An explicit
 * {@code spring.flyway.placeholders.application_role} wins.
 */
public class ApplicationRolePlaceholder implements FlywayConfigurationCustomizer {

    static final String NAME = "application_role";

    private final Environment environment;
    private final ObjectProvider<DataSource> dataSource;

    public ApplicationRolePlaceholder(Environment environment, ObjectProvider<DataSource> dataSource) {
        this.environment = environment;
        this.dataSource = dataSource;
    }

    @Override
    public void customize(FluentConfiguration configuration) {
        if (configuration.getPlaceholders().containsKey(NAME)) {
            return;
        }
        Map<String, String> placeholders = new HashMap<>(configuration.getPlaceholders());
        placeholders.put(NAME, applicationRole());
        configuration.placeholders(placeholders);
    }

    private String applicationRole() {
        String username = environment.getProperty("spring.datasource.username", "");
        if (!username.isBlank()) {
            return username;
        }
        DataSource application = dataSource.getIfUnique();
        if (application == null) {
            throw new IllegalStateException("The migrations need the application's database role, to grant it its"
                    + " rights: set SPRING_DATASOURCE_USERNAME");
        }
        try (Connection connection = application.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_user")) {
            row.next();
            return row.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot tell which role the application connects as", e);
        }
    }
}
