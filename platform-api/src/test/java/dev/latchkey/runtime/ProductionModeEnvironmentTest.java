package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

class ProductionModeEnvironmentTest {

    private final ProductionModeEnvironment production = new ProductionModeEnvironment();

    @Test
    void givenProductionModeWithNothingConfigured_whenStarting_thenRefusesNamingEveryMissingPart() {
        MockEnvironment environment = new MockEnvironment().withProperty("latchkey.mode", "production");

        assertThatIllegalStateException()
                .isThrownBy(() -> production.postProcessEnvironment(environment, new SpringApplication()))
                .withMessageContaining("SPRING_DATASOURCE_URL")
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
                .isThrownBy(() -> production.postProcessEnvironment(environment, new SpringApplication()))
                .withMessageContaining("LATCHKEY_CRYPTO_VAULT_URI")
                .withMessageNotContaining("SPRING_DATASOURCE_URL");
    }

    @Test
    void givenProductionModeFullyConfigured_whenStarting_thenStartsWithSecureCookiesAndJsonLogs() {
        MockEnvironment environment = fullyConfigured();

        production.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("server.servlet.session.cookie.secure")).isEqualTo("true");
        assertThat(environment.getProperty("logging.structured.format.console")).isEqualTo("ecs");
    }

    @Test
    void givenEmbeddedDefault_whenStarting_thenNothingIsRequired() {
        MockEnvironment environment = new MockEnvironment();

        production.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("server.servlet.session.cookie.secure")).isNull();
    }

    private static MockEnvironment fullyConfigured() {
        return new MockEnvironment()
                .withProperty("latchkey.mode", "production")
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/latchkey")
                .withProperty("spring.data.redis.host", "redis")
                .withProperty("latchkey.crypto.local.master-key", "AAAA")
                .withProperty("latchkey.api-keys.pepper", "BBBB");
    }
}
