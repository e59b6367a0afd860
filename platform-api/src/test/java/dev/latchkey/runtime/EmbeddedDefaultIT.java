package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.latchkey.LatchkeyApplication;
import dev.latchkey.support.ApiClient;

/**
 * The embedded default with nothing configured, as {@code spring-boot:run} starts it: its own
 * PostgreSQL (a password for every connection, loopback only), migrated by the schema owner and
 * used through the application's role, and the platform itself on 127.0.0.1 only.
 */
class EmbeddedDefaultIT {

    @TempDir
    static Path workspace;

    private static Path home;
    private static ConfigurableApplicationContext application;

    @BeforeAll
    static void startTheEmbeddedDefault() throws IOException {
        // The unprivileged account PostgreSQL runs as, when the tests run as root, must enter it.
        Files.setPosixFilePermissions(workspace, PosixFilePermissions.fromString("rwxr-xr-x"));
        home = workspace.resolve("home");
        application = new SpringApplicationBuilder(LatchkeyApplication.class)
                .run("--latchkey.home=" + home, "--server.port=0");
    }

    @AfterAll
    static void stop() {
        if (application != null) {
            application.close();
        }
    }

    @Test
    void givenNothingConfigured_whenStarted_thenTheApplicationUsesItsOwnRoleAndTheOwnerMigrated() {
        JdbcClient jdbc = JdbcClient.create(application.getBean(DataSource.class));

        assertThat(jdbc.sql("SELECT current_user").query(String.class).single()).isEqualTo("latchkey_app");
        assertThat(jdbc.sql("SELECT DISTINCT installed_by FROM flyway_schema_history").query(String.class).list())
                .containsExactly("latchkey_owner");
        assertThat(DatabaseRoleCheck.rewritableTables(application.getBean(DataSource.class))).isEmpty();
        for (String file : new String[] {"postgres-superuser.password", "postgres-owner.password",
                "postgres-app.password"}) {
            assertThat(home.resolve(file)).exists();
        }
    }

    @Test
    void givenTheEmbeddedDefault_whenTheApplicationRoleRewritesTheLedger_thenPostgresRefuses() throws SQLException {
        try (Connection connection = application.getBean(DataSource.class).getConnection();
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("DELETE FROM usage_ledger"))
                    .hasMessageContaining("permission denied for table usage_ledger");
            assertThatThrownBy(() -> statement.execute("ALTER TABLE audit_events DISABLE TRIGGER ALL"))
                    .hasMessageContaining("must be owner of table audit_events");
        }
    }

    @Test
    void givenTheEmbeddedDefault_whenSigningUp_thenItServesOnLoopbackAndNowhereElse() throws IOException {
        int port = ((WebServerApplicationContext) application).getWebServer().getPort();
        ApiClient client = new ApiClient("http://127.0.0.1:" + port);

        ApiClient.Response signup = client.post("/v1/auth/signup", Map.of("email", "embedded@example.com",
                "password", "a long embedded passphrase", "name", "Embedded", "organization_name", "Embedded"));

        assertThat(signup.status()).as("%s", signup).isEqualTo(201);
        assertThat(application.getEnvironment().getProperty("server.address")).isEqualTo("127.0.0.1");
        Optional<InetAddress> external = externalAddress();
        if (external.isPresent()) {
            try (Socket socket = new Socket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress(external.get(), port), 2000))
                        .as("the platform answers on %s", external.get()).isInstanceOf(IOException.class);
            }
        }
    }

    /** An address of this machine other than loopback, if it has one. */
    private static Optional<InetAddress> externalAddress() throws IOException {
        return NetworkInterface.networkInterfaces()
                .filter(network -> {
                    try {
                        return network.isUp() && !network.isLoopback();
                    } catch (IOException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .findFirst();
    }
}
