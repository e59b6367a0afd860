package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

/**
 * helm/latchkey, linted and rendered by Helm's own engine (helm-java bundles its native
 * library) with the default values, with the production values of {@code ci/}, and with secrets
 * given inline; every rendered document is parsed and checked.
 *
 * <p>helm-java's {@code template} returns the release manifest only, without the hooks (as
 * {@code helm template --no-hooks} would). To render the migration job and its Secret too, the
 * chart is rendered from a copy whose hook annotations carry another key, which is turned back
 * into {@code helm.sh/hook...} when the documents are read; the templates are otherwise the same.
 */
class HelmChartTest {

    private static final Path CHART = Repository.file("helm/latchkey");
    private static final Path PRODUCTION_VALUES = CHART.resolve("ci/production-values.yaml");
    private static final String HOOK = "helm.sh/hook";
    private static final String RENDERED_HOOK = "rendered-as-manifest.latchkey.dev/hook";

    @TempDir
    Path workspace;

    @Test
    void givenTheChart_whenLintedStrictlyWithDefaultAndWithProductionValues_thenHelmFindsNothing() throws IOException {
        LintResult defaults = new Helm(CHART).lint().strict().call();
        assertThat(defaults.isFailed()).as("%s", defaults.getMessages()).isFalse();

        LintResult production = new Helm(chartWithValues(PRODUCTION_VALUES)).lint().strict().call();
        assertThat(production.isFailed()).as("%s", production.getMessages()).isFalse();
    }

    @Test
    void givenDefaultValues_whenRendered_thenTheyAreHardenedAndNameWhatProductionModeStillNeeds() {
        List<Map<String, Object>> documents = render(new Helm(withHooksRendered()).template());

        assertThat(kinds(documents)).containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "Service", "Deployment",
                "PodDisruptionBudget", "Job");
        Map<String, Object> deployment = one(documents, "Deployment");
        assertHardenedPlatform(deployment);
        assertThat(get(deployment, "spec.replicas")).isEqualTo(2);
        assertMigrationHook(one(documents, "Job"), "latchkey_owner");
        assertThat(ProductionRequirements.missing(ComposeFileTest.environmentOf(platformEnvironment(documents))))
                .as("the values an operator must still give").anyMatch(item -> item.contains("SPRING_DATASOURCE_URL"))
                .anyMatch(item -> item.contains("LATCHKEY_API_KEYS_PEPPER"))
                .noneMatch(item -> item.contains("SPRING_FLYWAY_USER"));
    }

    @Test
    void givenProductionValues_whenRendered_thenEveryPartIsThereAndProductionModeFindsNothingMissing() {
        List<Map<String, Object>> documents = render(
                new Helm(withHooksRendered()).template().withValuesFile(PRODUCTION_VALUES));

        assertThat(kinds(documents)).containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "Service", "Deployment",
                "PodDisruptionBudget", "Job", "Ingress", "HorizontalPodAutoscaler", "ServiceMonitor", "NetworkPolicy");
        Map<String, Object> deployment = one(documents, "Deployment");
        assertHardenedPlatform(deployment);
        assertThat(get(deployment, "spec.replicas")).as("the HPA owns the replica count").isNull();
        assertThat(ProductionRequirements.missing(ComposeFileTest.environmentOf(platformEnvironment(documents))))
                .isEmpty();
        assertThat(ProductionRequirements.missingForMigrations(ComposeFileTest.environmentOf(
                environment(container(one(documents, "Job")), Map.of())))).isEmpty();
        assertMigrationHook(one(documents, "Job"), "latchkey_owner");
        assertThat(envNames(container(deployment))).contains("LATCHKEY_CRYPTO_VAULT_APP_ROLE_ROLE_ID",
                "LATCHKEY_CRYPTO_VAULT_APP_ROLE_SECRET_ID").doesNotContain("LATCHKEY_CRYPTO_VAULT_TOKEN",
                "SPRING_FLYWAY_PASSWORD");

        Map<String, Object> hpa = one(documents, "HorizontalPodAutoscaler");
        assertThat(get(hpa, "spec.minReplicas")).isEqualTo(3);
        assertThat(get(hpa, "spec.maxReplicas")).isEqualTo(12);
        assertThat(get(hpa, "spec.scaleTargetRef.name")).isEqualTo(get(deployment, "metadata.name"));
        assertThat(get(one(documents, "PodDisruptionBudget"), "spec.minAvailable")).isEqualTo(2);
        assertThat(get(one(documents, "PodDisruptionBudget"), "spec.selector.matchLabels"))
                .isEqualTo(get(deployment, "spec.selector.matchLabels"));
        Map<String, Object> ingress = one(documents, "Ingress");
        assertThat(get(ingress, "spec.tls[0].secretName")).isEqualTo("latchkey-tls");
        assertThat(get(ingress, "spec.rules[0].http.paths[0].backend.service.port.name")).isEqualTo("http");
        assertThat(get(one(documents, "ServiceMonitor"), "spec.endpoints[0].path")).isEqualTo("/actuator/prometheus");
        Map<String, Object> policy = one(documents, "NetworkPolicy");
        assertThat(get(policy, "spec.policyTypes")).isEqualTo(List.of("Ingress", "Egress"));
        assertThat(get(policy, "spec.ingress[0].from[0].namespaceSelector.matchLabels"))
                .isEqualTo(Map.of("kubernetes.io/metadata.name", "ingress-nginx"));
        assertThat(get(policy, "spec.egress")).asString().contains("port=5432").contains("port=6380")
                .contains("port=8200").contains("port=443");
    }

    @Test
    void givenSecretsInline_whenRendered_thenTheyAreOnlyInSecretsAndTheOwnersOnlyReachesTheMigrationJob() {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String value : List.of("database.password", "database.owner.password", "redis.password",
                "crypto.vault.token", "apiKeys.pepper", "secrets.bootstrapAdminPassword")) {
            secrets.put(value, "secret-" + UUID.randomUUID());
        }
        TemplateCommand template = new Helm(withHooksRendered()).template().withValuesFile(PRODUCTION_VALUES)
                .set("database.existingSecret", "").set("database.owner.existingSecret", "")
                .set("redis.existingSecret", "").set("crypto.vault.existingSecret", "").set("crypto.vault.auth", "token")
                .set("apiKeys.existingSecret", "").set("secrets.existingSecret", "");
        secrets.forEach(template::set);

        List<Map<String, Object>> documents = render(template);

        for (Map<String, Object> document : documents) {
            String text = new Yaml().dump(document);
            if (!"Secret".equals(document.get("kind"))) {
                secrets.values().forEach(secret -> assertThat(text).as("%s %s", document.get("kind"),
                        get(document, "metadata.name")).doesNotContain(secret));
            }
        }
        List<Map<String, Object>> secretDocuments = documents.stream()
                .filter(document -> "Secret".equals(document.get("kind"))).toList();
        assertThat(secretDocuments).hasSize(2);
        String decoded = secretDocuments.stream().flatMap(secret -> ((Map<?, ?>) secret.get("data")).values().stream())
                .map(value -> new String(Base64.getDecoder().decode(value.toString()))).toList().toString();
        secrets.values().forEach(secret -> assertThat(decoded).contains(secret));

        Map<String, Object> platform = container(one(documents, "Deployment"));
        Map<String, Object> job = container(one(documents, "Job"));
        assertThat(envNames(platform)).contains("SPRING_DATASOURCE_PASSWORD", "SPRING_DATA_REDIS_PASSWORD",
                "LATCHKEY_CRYPTO_VAULT_TOKEN", "LATCHKEY_API_KEYS_PEPPER", "LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD")
                .doesNotContain("SPRING_FLYWAY_PASSWORD");
        assertThat(envNames(job)).contains("SPRING_FLYWAY_PASSWORD").doesNotContain("SPRING_DATASOURCE_PASSWORD",
                "LATCHKEY_API_KEYS_PEPPER");
        Map<String, Object> ownerSecret = secretDocuments.stream()
                .filter(secret -> get(secret, "metadata.name").toString().endsWith("-migrations")).findFirst().orElseThrow();
        assertThat(get(ownerSecret, "metadata.annotations")).asString().contains("helm.sh/hook=pre-install,pre-upgrade")
                .contains("helm.sh/hook-weight=-10");
    }

    private static void assertHardenedPlatform(Map<String, Object> deployment) {
        Map<String, Object> pod = map(get(deployment, "spec.template.spec"));
        Map<String, Object> container = container(deployment);
        assertThat(get(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
        assertThat(get(pod, "securityContext.runAsUser")).isEqualTo(10001);
        assertThat(get(pod, "automountServiceAccountToken")).isEqualTo(false);
        assertThat(get(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(get(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(get(container, "securityContext.capabilities.drop")).isEqualTo(List.of("ALL"));
        assertThat(get(container, "volumeMounts[0].mountPath")).isEqualTo("/tmp");
        assertThat(get(pod, "volumes[0].emptyDir")).isNotNull();

        assertThat(get(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(get(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(get(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        assertThat(get(container, "readinessProbe.httpGet.port")).isEqualTo("http");
        assertThat(get(container, "lifecycle.preStop.exec.command[0]")).isEqualTo("sleep");
        assertThat(get(container, "resources.limits.memory")).isEqualTo("640Mi");
        assertThat(get(container, "resources.requests.memory")).isEqualTo("640Mi");

        assertThat(get(deployment, "spec.strategy.type")).isEqualTo("RollingUpdate");
        assertThat(get(deployment, "spec.strategy.rollingUpdate.maxUnavailable")).isEqualTo(0);
        assertThat((List<?>) get(pod, "topologySpreadConstraints")).hasSize(2);
        assertThat(get(pod, "topologySpreadConstraints[0].labelSelector.matchLabels"))
                .isEqualTo(get(deployment, "spec.selector.matchLabels"));
        assertThat(get(pod, "terminationGracePeriodSeconds")).isEqualTo(40);
        assertThat(map(get(deployment, "spec.template.metadata.annotations"))).containsKeys("checksum/config",
                "checksum/secret");
        assertThat(map(get(deployment, "spec.selector.matchLabels")))
                .containsEntry("app.kubernetes.io/component", "server");
        for (Object variable : (List<?>) container.get("env")) {
            Map<String, Object> env = map(variable);
            if (env.get("name").toString().matches(".*(PASSWORD|TOKEN|PEPPER|MASTER_KEY|SECRET_ID|ROLE_ID)")) {
                assertThat(env).as("%s", env.get("name")).doesNotContainKey("value").containsKey("valueFrom");
            }
        }
    }

    private static void assertMigrationHook(Map<String, Object> job, String owner) {
        assertThat(map(get(job, "metadata.annotations"))).containsEntry("helm.sh/hook", "pre-install,pre-upgrade")
                .containsEntry("helm.sh/hook-weight", "0")
                .containsEntry("helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded");
        Map<String, Object> container = container(job);
        assertThat(container.get("args")).isEqualTo(List.of("migrate"));
        assertThat(get(job, "spec.template.spec.restartPolicy")).isEqualTo("Never");
        assertThat(get(job, "spec.template.metadata.labels")).asString().contains("app.kubernetes.io/component=migrations");
        assertThat(environment(container, Map.of())).containsEntry("SPRING_FLYWAY_USER", owner)
                .containsEntry("SPRING_DATASOURCE_USERNAME", "latchkey_app")
                .doesNotContainKey("SPRING_DATASOURCE_PASSWORD");
        assertThat(get(job, "spec.template.spec.securityContext.runAsNonRoot")).isEqualTo(true);
        assertThat(get(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(get(container, "securityContext.capabilities.drop")).isEqualTo(List.of("ALL"));
    }

    /** What the platform's container gets: the ConfigMap, then its own env; a secret reference counts as set. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> platformEnvironment(List<Map<String, Object>> documents) {
        Map<String, String> configMap = (Map<String, String>) one(documents, "ConfigMap").get("data");
        return environment(container(one(documents, "Deployment")), configMap);
    }

    private static Map<String, String> environment(Map<String, Object> container, Map<String, String> base) {
        Map<String, String> environment = new LinkedHashMap<>(base);
        for (Object variable : (List<?>) container.get("env")) {
            Map<String, Object> env = map(variable);
            environment.put(env.get("name").toString(),
                    env.containsKey("value") ? Objects.toString(env.get("value"), "") : "(from a Secret)");
        }
        return environment;
    }

    private static List<String> envNames(Map<String, Object> container) {
        return ((List<?>) container.get("env")).stream().map(variable -> map(variable).get("name").toString()).toList();
    }

    private static Map<String, Object> container(Map<String, Object> workload) {
        return map(get(workload, "spec.template.spec.containers[0]"));
    }

    private static List<Map<String, Object>> render(TemplateCommand template) {
        // A current Kubernetes: helm template assumes an old one without a cluster to ask.
        String rendered = template.withName("latchkey").withNamespace("latchkey").withKubeVersion("1.31.0").call()
                .replace(RENDERED_HOOK, HOOK);
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(rendered)) {
            if (document != null) {
                documents.add(map(document));
            }
        }
        return documents;
    }

    /** A copy of the chart whose hooks Helm renders into the manifest (see the class comment). */
    private Path withHooksRendered() {
        try {
            Path copy = copyOfTheChart("hooks-rendered");
            try (Stream<Path> templates = Files.list(copy.resolve("templates"))) {
                for (Path template : templates.toList()) {
                    Files.writeString(template, Files.readString(template).replace(HOOK, RENDERED_HOOK));
                }
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path copyOfTheChart(String name) throws IOException {
        Path copy = workspace.resolve(name).resolve("latchkey");
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = copy.resolve(CHART.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return copy;
    }

    private static List<String> kinds(List<Map<String, Object>> documents) {
        return documents.stream().map(document -> document.get("kind").toString()).toList();
    }

    private static Map<String, Object> one(List<Map<String, Object>> documents, String kind) {
        List<Map<String, Object>> matching = documents.stream().filter(document -> kind.equals(document.get("kind")))
                .toList();
        assertThat(matching).as("documents of kind %s", kind).hasSize(1);
        return matching.get(0);
    }

    /** A value at a dotted path, with [i] for list items; null when absent. */
    private static Object get(Map<String, Object> document, String path) {
        Object current = document;
        for (String part : path.split("\\.(?![^\\[]*])")) {
            String key = part.contains("[") ? part.substring(0, part.indexOf('[')) : part;
            current = current instanceof Map<?, ?> map ? map.get(key) : null;
            if (part.contains("[") && current instanceof List<?> list) {
                int index = Integer.parseInt(part.substring(part.indexOf('[') + 1, part.indexOf(']')));
                current = index < list.size() ? list.get(index) : null;
            }
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    /** A copy of the chart whose values.yaml has {@code overrides} merged in, as `helm lint -f` would see it. */
    private Path chartWithValues(Path overrides) throws IOException {
        Path copy = copyOfTheChart("values-merged");
        Map<String, Object> values = new Yaml().load(Files.readString(CHART.resolve("values.yaml")));
        merge(values, new Yaml().load(Files.readString(overrides)));
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(copy.resolve("values.yaml"), new Yaml(options).dump(values));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> base, Map<String, Object> overrides) {
        overrides.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested && base.get(key) instanceof Map<?, ?> existing) {
                merge((Map<String, Object>) existing, (Map<String, Object>) nested);
            } else {
                base.put(key, value);
            }
        });
    }
}
