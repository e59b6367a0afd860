package dev.latchkey.web;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.SecondInstance;
import dev.latchkey.support.TestDns;
import dev.latchkey.support.TestInfrastructure;
import dev.latchkey.support.TlsProxyCookies;

/**
 * An instance in production mode, reached over plain http as a TLS-terminating proxy that does
 * not forward its scheme would reach it, with the production defaults of the operator settings
 * (webhooks: public https hosts only). Browsers behind the proxy speak https, so they send
 * Secure cookies back ({@link TlsProxyCookies}).
 */
class ProductionModeIT extends IntegrationTest {

    private static SecondInstance production;

    @AfterAll
    static void stopProduction() {
        if (production != null) {
            production.close();
            production = null;
        }
    }

    private static synchronized SecondInstance production() {
        if (production == null) {
            Path home = Path.of(TestInfrastructure.get().properties().get("latchkey.home"));
            production = SecondInstance.start(Map.of(
                    "latchkey.mode", "production",
                    // The test run's generated secrets, so that both instances read each other's rows.
                    "latchkey.crypto.local.master-key-file", home.resolve("master.key").toString(),
                    "latchkey.api-keys.pepper", read(home.resolve("api-key-pepper")),
                    "management.server.port", "0",
                    "latchkey.webhooks.allow-private-hosts", "false",
                    "latchkey.webhooks.require-https", "true",
                    "latchkey.audit.verify-limit.per-period", "3",
                    // No SMTP server here: production then allows only verification off (and sends no mail).
                    "latchkey.accounts.require-email-verification", "false",
                    // The tests' cost (4, config/application.yml) is below what production accepts.
                    "latchkey.accounts.password-hash-cost", "10",
                    // Plain log lines, like every other instance of the test JVM.
                    "logging.structured.format.console", ""));
        }
        return production;
    }

    private ApiClient browser() {
        return new ApiClient(baseUrl(), new TlsProxyCookies());
    }

    private static String baseUrl() {
        return production().client().baseUrl();
    }

    @Test
    void givenPlainHttpFromTheProxy_whenAnswering_thenHstsAndTheSecurityHeadersAreSent() {
        for (ApiClient.Response response : List.of(browser().get("/v1/auth/csrf"), browser().get("/v1/me"),
                browser().send("POST", "/v1/auth/login", "x".repeat(70_000), "application/json"))) {
            assertThat(response.header("Strict-Transport-Security")).startsWith("max-age=31536000")
                    .contains("includeSubDomains");
            assertThat(response.header("Content-Security-Policy")).isEqualTo(SecurityHeadersIT.CSP);
            assertThat(response.header("Referrer-Policy")).isEqualTo("same-origin");
        }
    }

    @Test
    void givenABrowser_whenItStartsASession_thenTheCookieIsHostPrefixedSecureAndTheCsrfTokenLivesInIt() {
        ApiClient browser = browser();
        ApiClient.Response csrf = browser.get("/v1/auth/csrf");

        assertThat(csrf.allHeaders("Set-Cookie")).startsWith("__Host-LATCHKEY_SESSION=").contains("Path=/")
                .contains("Secure").contains("HttpOnly").contains("SameSite=Lax").doesNotContain("Domain=")
                .doesNotContain("XSRF-TOKEN");
        ApiClient.Response signedUp = browser.post("/v1/auth/signup", Map.of("email", randomEmail(),
                "password", "correct horse " + UUID.randomUUID(), "name", "Prod", "organization_name", "Prod Org"));
        assertThat(signedUp.status()).as(signedUp.body()).isEqualTo(201);
        assertThat(browser.get("/v1/me").status()).isEqualTo(200);
    }

    @Test
    void givenASessionTokenMintedThroughTheProxy_whenItsCallsUrlIsReturned_thenItIsHttps() {
        ApiClient browser = browser();
        ApiClient.Response signedUp = browser.post("/v1/auth/signup", Map.of("email", randomEmail(),
                "password", "correct horse " + UUID.randomUUID(), "name", "Prod", "organization_name", "Prod Org"));
        String orgPath = "/v1/orgs/" + signedUp.json().get("organization").get("id").asString();
        assertThat(browser.post(orgPath + "/credentials", Map.of("provider", "openai", "label", "prod",
                "secret", Map.of("api_key", "sk-production-mode-test-0123456789"))).status()).isEqualTo(201);
        String key = browser.post(orgPath + "/api-keys", Map.of("name", "app", "scopes", new String[] {"sessions:mint"}))
                .json().get("key").asString();

        ApiClient.Response session = new ApiClient(baseUrl()).bearer(key).post("/v1/realtime/sessions",
                Map.of("provider", "openai"));

        assertThat(session.status()).as(session.body()).isEqualTo(200);
        assertThat(session.json().get("calls_url").asString()).isEqualTo(
                baseUrl().replace("http://", "https://") + "/v1/realtime/calls");
    }

    @Test
    void givenMetrics_whenScrapedOnThePublicPortOrTheManagementPort_thenOnlyTheManagementPortServesThem() {
        ApiClient management = new ApiClient("http://127.0.0.1:" + production().property("local.management.port"));

        assertThatProblem(browser().get("/actuator/prometheus")).hasStatus(404);
        assertThatProblem(browser().get("/actuator/%70rometheus")).hasStatus(404);
        ApiClient.Response scraped = management.get("/actuator/prometheus");
        assertThat(scraped.status()).isEqualTo(200);
        assertThat(scraped.body()).contains("jvm_memory_used_bytes");
        assertThat(browser().get("/readyz").status()).isEqualTo(200);
    }

    @Test
    void givenTheDefaultWebhookSettings_whenAUrlCarriesAPrivateOrLoopbackAddressInAnyForm_thenA400NamesUrl() {
        ApiClient browser = browser();
        ApiClient.Response signedUp = browser.post("/v1/auth/signup", Map.of("email", randomEmail(),
                "password", "correct horse " + UUID.randomUUID(), "name", "Prod", "organization_name", "Prod Org"));
        String path = "/v1/orgs/" + signedUp.json().get("organization").get("id").asString() + "/webhooks";
        List<String> internal = List.of("64:ff9b::7f00:1", "::ffff:7f00:1", "::ffff:a00:5", "::a00:5",
                "64:ff9b:1::a00:5", "2002:c0a8:101::1", "2001:0:4136:e378:8000:63bf:80ff:fffe", "::1", "fd00::1",
                "::ffff:6440:1", "::ffff:a9fe:a9fe");

        // The example: NAT64 of 127.0.0.1.
        assertThatProblem(browser.post(path, Map.of("url", "https://[64:ff9b::7f00:1]:8443/hook"))).hasStatus(400)
                .namesField("url");
        for (String address : internal) {
            String name = "prod-" + UUID.randomUUID().toString().substring(0, 8) + ".hooks.latchkey.test";
            TestDns.answer(name, address);
            try {
                assertThatProblem(browser.post(path, Map.of("url", "https://[" + address + "]/hook"))).as(address)
                        .hasStatus(400).namesField("url");
                assertThatProblem(browser.post(path, Map.of("url", "https://" + name + "/hook")))
                        .as(name + " -> " + address).hasStatus(400).namesField("url");
            } finally {
                TestDns.forget(name);
            }
        }
        assertThatProblem(browser.post(path, Map.of("url", "http://hooks.example.com/hook"))).hasStatus(400)
                .namesField("url");
        assertThat(browser.get(path).json().get("items")).isEmpty();
    }

    @Test
    void givenChainVerification_whenAnAdminRunsItMoreOftenThanTheLimit_thenA429SaysWhenToRetry() {
        ApiClient admin = browser();
        assertThat(admin.post("/v1/auth/login", Map.of("email", PLATFORM_ADMIN_EMAIL,
                "password", PLATFORM_ADMIN_PASSWORD)).status()).isEqualTo(200);

        assertThatProblem(admin.get("/v1/admin/audit-events/verify")).hasStatus(405);
        for (int i = 0; i < 3; i++) {
            assertThat(admin.post("/v1/admin/audit-events/verify", null).status()).isEqualTo(200);
        }
        ApiClient.Response limited = admin.post("/v1/admin/audit-events/verify", null);

        assertThatProblem(limited).hasStatus(429).hasType("/problems/rate-limited");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
