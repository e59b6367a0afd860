package dev.latchkey.changes;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.stereotype.Component;

/**
 * Connections of their own, outside the pool, for work that keeps session state a pooled
 * connection must never carry back to the pool: a LISTEN, or a session-level advisory lock
 * that elects a leader (it is released exactly when its connection closes). Same database,
 * user and settings as the pool.
 */
@Component
public class DedicatedConnections {

    private final DataSource dataSource;

    public DedicatedConnections(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Connection open(String applicationName) throws SQLException {
        if (dataSource instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
            Properties properties = new Properties();
            properties.putAll(hikari.getDataSourceProperties());
            if (hikari.getUsername() != null) {
                properties.setProperty("user", hikari.getUsername());
            }
            if (hikari.getPassword() != null) {
                properties.setProperty("password", hikari.getPassword());
            }
            properties.setProperty("ApplicationName", applicationName);
            properties.setProperty("connectTimeout", "2");
            properties.setProperty("tcpKeepAlive", "true");
            return DriverManager.getConnection(hikari.getJdbcUrl(), properties);
        }
        throw new IllegalStateException("Dedicated connections need the Hikari pool's JDBC settings");
    }
}
