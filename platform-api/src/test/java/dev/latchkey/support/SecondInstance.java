package dev.latchkey.support;

import java.util.LinkedHashMap;
import java.util.Map;
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
        return start(Map.of());
    }

    /**
     * With the tests' application properties (the fake upstreams included) and {@code overrides}
     * on top (e.g. a Redis of the test's own, or a setting of this instance only).
     */
    public static SecondInstance start(Map<String, String> overrides) {
        Map<String, String> properties = new LinkedHashMap<>(IntegrationTest.applicationProperties());
        properties.putAll(overrides);
        // Command-line arguments, so that they outrank application.yml as the test's own properties do.
        Stream<String> arguments = Stream.concat(properties.entrySet().stream()
                .map(property -> "--" + property.getKey() + "=" + property.getValue()), Stream.of("--server.port=0"));
        return new SecondInstance(new SpringApplicationBuilder(LatchkeyApplication.class)
                .run(arguments.toArray(String[]::new)));
    }

    public ApiClient client() {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new ApiClient("http://127.0.0.1:" + port);
    }

    /** One of this instance's beans, for tests that look at what an instance holds in memory. */
    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** A property of the running instance, e.g. {@code local.management.port}. */
    public String property(String name) {
        return context.getEnvironment().getProperty(name);
    }

    @Override
    public void close() {
        context.close();
    }
}
