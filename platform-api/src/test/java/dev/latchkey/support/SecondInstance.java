package dev.latchkey.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.latchkey.LatchkeyApplication;

/**
 * Another application instance on the same PostgreSQL and Redis as the test's own, as a
 * second replica behind a load balancer would be.
 */
public final class SecondInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private SecondInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static SecondInstance start() {
        // Command-line arguments, so that they outrank application.yml as the test's own properties do.
        Stream<String> arguments = Stream.concat(TestInfrastructure.get().properties().entrySet().stream()
                .map(property -> "--" + property.getKey() + "=" + property.getValue()), Stream.of("--server.port=0"));
        // The generated master key, named as a key file: once a test has rotated it (POST /v1/admin/keys/rotate)
        // it is a versioned keyring, which this branch's generated-key start-up cannot read yet (fixed on main in
        // 2deefdd, "Generated master keyring is read as a keyring after rotation"). Drop this after that merge.
        Path masterKey = Path.of(TestInfrastructure.get().properties().get("latchkey.home"), "master.key");
        if (Files.exists(masterKey)) {
            arguments = Stream.concat(arguments, Stream.of("--latchkey.crypto.local.master-key-file=" + masterKey));
        }
        return new SecondInstance(new SpringApplicationBuilder(LatchkeyApplication.class)
                .run(arguments.toArray(String[]::new)));
    }

    public ApiClient client() {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new ApiClient("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        context.close();
    }
}
