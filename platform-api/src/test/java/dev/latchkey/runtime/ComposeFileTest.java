package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * docker-compose.yml starts what production mode needs, in the right order, with health checks,
 * and with every setting from .env.example; no secret is written into it.
 */
class ComposeFileTest {

    private final ComposeFile compose = ComposeFile.read(Repository.file("docker-compose.yml"));
    private final Map<String, String> envExample = ComposeFile.readEnvFile(Repository.file(".env.example"));

    @Test
    void givenTheComposeFile_thenItRunsPostgresRedisVaultTheMigrationsAndThePlatform() {
        assertThat(compose.services()).containsOnlyKeys("postgres", "redis", "vault", "vault-init", "migrations",
                "platform-api", "mailpit");
        assertThat(compose.service("mailpit").get("ports")).asString().contains("127.0.0.1:");
        assertThat(compose.service("migrations").get("command")).isEqualTo(List.of("migrate"));
        assertThat(compose.service("platform-api").get("image")).isEqualTo(compose.service("migrations").get("image"))
                .isEqualTo("${LATCHKEY_IMAGE:-latchkey:local}");
        assertThat(compose.service("platform-api").get("ports")).asString().contains("127.0.0.1:");
    }

    @Test
    void givenTheComposeFile_thenThePlatformStartsOnlyOnceEverythingItNeedsIsHealthyOrDone() {
        assertThat(dependencies("platform-api")).isEqualTo(Map.of(
                "postgres", "service_healthy",
                "redis", "service_healthy",
                "vault-init", "service_completed_successfully",
                "migrations", "service_completed_successfully",
                "mailpit", "service_healthy"));
        assertThat(dependencies("migrations")).isEqualTo(Map.of("postgres", "service_healthy"));
        assertThat(dependencies("vault-init")).isEqualTo(Map.of("vault", "service_healthy"));
        for (String service : List.of("postgres", "redis", "vault", "mailpit", "platform-api")) {
            assertThat(healthCheck(service)).as(service).isNotEmpty();
        }
        assertThat(String.join(" ", healthCheck("platform-api"))).contains("/actuator/health/readiness");
    }

    @Test
    void givenTheComposeFile_thenTheLatchkeyContainersRunReadOnlyWithoutCapabilities() {
        for (String service : List.of("migrations", "platform-api")) {
            Map<String, Object> definition = compose.service(service);
            assertThat(definition.get("read_only")).as(service).isEqualTo(true);
            assertThat(definition.get("tmpfs")).as(service).isEqualTo(List.of("/tmp"));
            assertThat(definition.get("cap_drop")).as(service).isEqualTo(List.of("ALL"));
        }
        assertThat(compose.service("platform-api").get("mem_limit")).isEqualTo("640m");
    }

    @Test
    void givenEnvExample_thenItNamesEveryVariableTheComposeFileReadsAndNoOther() {
        assertThat(envExample.keySet()).containsExactlyInAnyOrderElementsOf(compose.variables());
    }

    @Test
    void givenTheComposeEnvironment_thenProductionModeFindsNothingMissingInThePlatformOrTheMigrations() {
        Map<String, String> platform = compose.environment("platform-api", envExample);
        Map<String, String> migrations = compose.environment("migrations", envExample);

        assertThat(platform).containsEntry("LATCHKEY_MODE", "production").containsEntry("SPRING_FLYWAY_ENABLED", "false")
                .containsEntry("LATCHKEY_CRYPTO_BACKEND", "vault");
        assertThat(ProductionRequirements.missing(environmentOf(platform))).isEmpty();
        assertThat(ProductionRequirements.missingForMigrations(environmentOf(migrations))).isEmpty();
        assertThat(migrations.get("SPRING_FLYWAY_USER")).isEqualTo(envExample.get("LATCHKEY_DB_OWNER"))
                .isNotEqualTo(platform.get("SPRING_DATASOURCE_USERNAME"));
        assertThat(platform.get("SPRING_DATASOURCE_USERNAME")).isEqualTo(envExample.get("LATCHKEY_DB_APP"));
        assertThat(platform).doesNotContainKeys("SPRING_FLYWAY_USER", "SPRING_FLYWAY_PASSWORD");
    }

    @Test
    void givenTheComposeFile_thenEverySecretComesFromTheEnvironmentAndIsRequired() {
        for (String service : compose.services().keySet()) {
            compose.rawEnvironment(service).forEach((name, value) -> {
                if (name.matches(".*(PASSWORD|TOKEN|PEPPER|MASTER_KEY|SECRET).*")) {
                    assertThat(value).as("%s of %s", name, service).matches("\\$\\{[A-Z_]+(:\\?.*|:-)}");
                }
            });
        }
        Map<String, String> withoutAPassword = new HashMap<>(envExample);
        withoutAPassword.remove("LATCHKEY_DB_APP_PASSWORD");
        assertThatIllegalArgumentException().isThrownBy(() -> compose.environment("platform-api", withoutAPassword))
                .withMessageContaining("set LATCHKEY_DB_APP_PASSWORD in .env");
    }

    @Test
    void givenTheComposeFile_thenTheFilesItMountsExist() {
        for (String service : compose.services().keySet()) {
            Object volumes = compose.service(service).get("volumes");
            if (volumes instanceof List<?> list) {
                list.stream().map(Object::toString).filter(volume -> volume.startsWith("./"))
                        .map(volume -> volume.substring(2, volume.indexOf(':')))
                        .forEach(path -> assertThat(Repository.file(path)).as(service).isRegularFile());
            }
        }
        assertThat(Path.of(Repository.file("Dockerfile").toString())).isRegularFile();
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> dependencies(String service) {
        Map<String, Object> dependsOn = (Map<String, Object>) compose.service(service).get("depends_on");
        Map<String, String> conditions = new HashMap<>();
        dependsOn.forEach((name, value) -> conditions.put(name, ((Map<String, String>) value).get("condition")));
        return conditions;
    }

    @SuppressWarnings("unchecked")
    private List<String> healthCheck(String service) {
        Map<String, Object> check = (Map<String, Object>) compose.service(service).get("healthcheck");
        return check == null ? List.of() : (List<String>) check.get("test");
    }

    /** The environment variables as the application's Spring environment would see them. */
    static StandardEnvironment environmentOf(Map<String, String> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("compose",
                new HashMap<>(variables)));
        ConfigurationPropertySources.attach(environment);
        return environment;
    }
}
