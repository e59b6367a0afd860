package dev.latchkey.support;

import java.util.Map;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A second application instance, like the first (the tests' properties, the same PostgreSQL and
 * Redis): {@code @ExtendWith(SecondInstanceExtension.class)} and a {@link SecondInstance} parameter
 * of the test's constructor (or of a test method). One instance serves every test class of the run
 * that asks for it, as the first instance does (the Spring test context is cached the same way):
 * it starts when first asked for and stops when the run ends. Test classes keep to organizations
 * of their own, so sharing it is safe. A test that needs an instance configured otherwise, or one
 * that has just started, starts one of its own: {@code try (SecondInstance other =
 * SecondInstance.start(Map.of(...)))}.
 */
public final class SecondInstanceExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SecondInstanceExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SecondInstance.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // Closed (the instance stopped) with the root context at the end of the run: SecondInstance is AutoCloseable.
        // It sends no mail: unlike the cached test contexts, which Spring pauses while another one runs, it goes
        // on working through every test class, and with no SMTP server of its own it would take the mail of
        // the classes that have one (MailIntegrationTest) and write it to files instead.
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(SecondInstance.class,
                type -> SecondInstance.start(Map.of("latchkey.mail.poll-interval", "1h")), SecondInstance.class);
    }
}
