package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

class RuntimeModeEnvironmentTest {

    private final RuntimeModeEnvironment runtimeMode = new RuntimeModeEnvironment();

    @Test
    void givenProductionModeWithNothingConfigured_whenStarting_thenRefusesNamingEveryMissingPart() {
        MockEnvironment environment = new MockEnvironment().withProperty("latchkey.mode", "production");

        assertThatIllegalStateException()
                .isThrownBy(() -> runtimeMode.postProcessEnvironment(environment, new SpringApplication()))
                .withMessageContaining("SPRING_DATASOURCE_URL")
                .withMessageContaining("SPRING_FLYWAY_USER")
                .withMessageContaining("SPRING_DATA_REDIS_HOST")
                .withMessageContaining("LATCHKEY_CRYPTO_LOCAL_MASTER_KEY")
                .withMessageContaining("LATCHKEY_API_KEYS_PEPPER");
    }

    @Test
    void givenProductionProfileWithVaultButNoVaultAddress_whenStarting_thenRefusesNamingTheVaultAddress() {
        MockEnvironment environment = fullyConfigured().withProperty("latchkey.mode", "embedded")
                .withProperty("latchkey.crypto.backend", "vault");
        environment.setActiveProfiles("production");

        assertThatIllegalStateException()
                .isThrownBy(() -> runtimeMode.postProcessEnvironment(environment, new SpringApplication()))
                .withMessageContaining("LATCHKEY_CRYPTO_VAULT_URI")
                .withMessageNotContaining("SPRING_DATASOURCE_URL");
    }

    @Test
    void givenProductionModeMigratingAsTheApplicationsOwnRole_whenStarting_thenRefusesUnlessExplicitlyAccepted() {
        MockEnvironment sameRole = fullyConfigured().withProperty("spring.flyway.user", "latchkey_app");
        MockEnvironment noOwner = fullyConfigured().withProperty("spring.flyway.user", "");

        assertThatIllegalStateException()
                .isThrownBy(() -> runtimeMode.postProcessEnvironment(sameRole, new SpringApplication()))
                .withMessageContaining("other than the application's role");
        assertThatIllegalStateException()
                .isThrownBy(() -> runtimeMode.postProcessEnvironment(noOwner, new SpringApplication()))
                .withMessageContaining("the schema owner that runs the migrations (SPRING_FLYWAY_USER");
        runtimeMode.postProcessEnvironment(noOwner.withProperty("spring.flyway.enabled", "false"),
                new SpringApplication());
        runtimeMode.postProcessEnvironment(sameRole.withProperty(ProductionRequirements.ALLOW_SINGLE_ROLE, "true"),
                new SpringApplication());
    }

    @Test
    void givenProductionModeWithACheapPasswordHash_whenStarting_thenRefusesNamingTheSetting() {
        MockEnvironment cheap = fullyConfigured().withProperty("latchkey.accounts.password-hash-cost", "4");

        assertThatIllegalStateException()
                .isThrownBy(() -> runtimeMode.postProcessEnvironment(cheap, new SpringApplication()))
                .withMessageContaining("LATCHKEY_ACCOUNTS_PASSWORD_HASH_COST is 4");
        runtimeMode.postProcessEnvironment(fullyConfigured().withProperty("latchkey.accounts.password-hash-cost", "12"),
                new SpringApplication());
    }

    @Test
    void givenTheMigrateCommandInProduction_whenNeitherDatabaseNorApplicationRoleIsNamed_thenRefusesNamingBoth() {
        MockEnvironment environment = new MockEnvironment().withProperty("latchkey.mode", "production")
                .withProperty(RuntimeModeEnvironment.COMMAND_PROPERTY, "migrate")
                .withProperty("spring.flyway.user", "latchkey_owner");

        assertThatIllegalStateException()
                .isThrownBy(() -> runtimeMode.postProcessEnvironment(environment, new SpringApplication()))
                .withMessageContaining("SPRING_DATASOURCE_URL or SPRING_FLYWAY_URL")
                .withMessageContaining("SPRING_DATASOURCE_USERNAME")
                .withMessageNotContaining("Redis");
    }

    @Test
    void givenProductionModeFullyConfigured_whenStarted_thenItsDefaultsBeatThePackagedApplicationYmlButNotExplicitSettings() {
        try (ConfigurableApplicationContext context = start(productionArguments())) {
            Environment environment = context.getEnvironment();
            assertThat(environment.getProperty("latchkey.accounts.require-email-verification"))
                    .as("application.yml says false; production's default wins").isEqualTo("true");
            assertThat(environment.getProperty("server.servlet.session.cookie.secure")).isEqualTo("true");
            assertThat(environment.getProperty("logging.structured.format.console")).isEqualTo("ecs");
            assertThat(environment.getProperty("server.address")).isNull();
        }
        List<String> explicit = productionArguments();
        explicit.add("--latchkey.accounts.require-email-verification=false");
        try (ConfigurableApplicationContext context = start(explicit)) {
            assertThat(context.getEnvironment().getProperty("latchkey.accounts.require-email-verification"))
                    .as("an explicit setting wins").isEqualTo("false");
        }
    }

    @Test
    void givenTheEmbeddedDefault_whenStarted_thenItListensOnLoopbackUnlessServerAddressSaysOtherwise() {
        try (ConfigurableApplicationContext context = start(new ArrayList<>(List.of()))) {
            assertThat(context.getEnvironment().getProperty("server.address")).isEqualTo("127.0.0.1");
            assertThat(context.getEnvironment().getProperty("server.servlet.session.cookie.secure")).isNull();
            assertThat(context.getEnvironment().getProperty("latchkey.accounts.require-email-verification"))
                    .as("unset, so accounts/AccountsProperties' default (false) applies").isNull();
        }
        try (ConfigurableApplicationContext context = start(new ArrayList<>(List.of("--server.address=0.0.0.0")))) {
            assertThat(context.getEnvironment().getProperty("server.address")).isEqualTo("0.0.0.0");
        }
    }

    @Test
    void givenTheProductionJarWithoutTheEmbeddedRuntime_whenNoDatabaseIsConfigured_thenRefusesSayingWhatToDo() {
        SpringApplication application = new SpringApplication();
        ClassLoader withoutEmbeddedRuntime = new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(RuntimeModeEnvironment.EMBEDDED_RUNTIME)) {
                    throw new ClassNotFoundException(name);
                }
                return super.loadClass(name, resolve);
            }
        };
        application.setResourceLoader(new DefaultResourceLoader(withoutEmbeddedRuntime));

        assertThatIllegalStateException()
                .isThrownBy(() -> runtimeMode.postProcessEnvironment(new MockEnvironment(), application))
                .withMessageContaining("No database is configured (SPRING_DATASOURCE_URL")
                .withMessageContaining("spring-boot:run");
        runtimeMode.postProcessEnvironment(new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/latchkey"), application);
    }

    /** A bare application (no auto-configuration) that reads the real application.yml and runs the post-processors. */
    private static ConfigurableApplicationContext start(List<String> arguments) {
        SpringApplication application = new SpringApplication(Bare.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        // The test JVM's logging stays as it is (production would switch it to JSON).
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        try {
            return application.run(arguments.toArray(String[]::new));
        } finally {
            System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
        }
    }

    static class Bare {
    }

    private static List<String> productionArguments() {
        return new ArrayList<>(List.of("--latchkey.mode=production",
                "--spring.datasource.url=jdbc:postgresql://db/latchkey", "--spring.datasource.username=latchkey_app",
                "--spring.flyway.user=latchkey_owner", "--spring.data.redis.host=redis",
                "--latchkey.crypto.local.master-key=AAAA", "--latchkey.api-keys.pepper=BBBB",
                "--spring.mail.host=smtp.example.com", "--latchkey.mail.from=no-reply@example.com",
                "--latchkey.public-url=https://latchkey.example.com",
                // The tests' own cost (config/application.yml) is below what production accepts.
                "--latchkey.accounts.password-hash-cost=10"));
    }

    private static MockEnvironment fullyConfigured() {
        return new MockEnvironment()
                .withProperty("latchkey.mode", "production")
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/latchkey")
                .withProperty("spring.datasource.username", "latchkey_app")
                .withProperty("spring.flyway.user", "latchkey_owner")
                .withProperty("spring.data.redis.host", "redis")
                .withProperty("latchkey.crypto.local.master-key", "AAAA")
                .withProperty("latchkey.api-keys.pepper", "BBBB")
                .withProperty("spring.mail.host", "smtp.example.com")
                .withProperty("latchkey.mail.from", "no-reply@example.com")
                .withProperty("latchkey.public-url", "https://latchkey.example.com");
    }
}
