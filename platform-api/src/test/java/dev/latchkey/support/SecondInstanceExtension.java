package dev.latchkey.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A second application instance for a test class, like the first (the tests' properties, the same
 * PostgreSQL and Redis): {@code @ExtendWith(SecondInstanceExtension.class)} and a
 * {@link SecondInstance} parameter of the test's constructor (or of a test method). It starts once
 * per test class, when first asked for, and stops after the class's last test. A test that needs an
 * instance configured otherwise starts one of its own: {@code try (SecondInstance other =
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
        ExtensionContext testClass = context;
        while (testClass.getTestMethod().isPresent()) {
            testClass = testClass.getParent().orElseThrow();
        }
        // Closed (the instance stopped) with the test class's context: SecondInstance is AutoCloseable.
        return testClass.getStore(NAMESPACE).computeIfAbsent(SecondInstance.class, type -> SecondInstance.start(),
                SecondInstance.class);
    }
}
