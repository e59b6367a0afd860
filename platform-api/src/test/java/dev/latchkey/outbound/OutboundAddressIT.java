package dev.latchkey.outbound;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.MeteredIntegrationTest;
import dev.latchkey.support.SecondInstance;
import dev.latchkey.support.TestDns;
import tools.jackson.databind.JsonNode;

/**
 * SSRF through tenant-supplied hosts, over real HTTP: every IPv6 form that carries an internal
 * IPv4 address (IPv4-mapped, IPv4-compatible, NAT64 and local-use NAT64, 6to4, Teredo) and the
 * internal IPv6 blocks, as a URL literal and as the DNS answer for a name ({@link TestDns}), in a
 * webhook URL, an Azure endpoint and a LiveKit URL; names that turn internal after they were
 * accepted are refused when Latchkey calls them; and a call connects to the address it checked.
 * The tests' operator settings allow loopback and private webhook hosts (their receivers run on
 * 127.0.0.1), so webhook refusals here carry addresses refused always; ProductionModeIT covers the
 * default, which refuses private ones too.
 */
class OutboundAddressIT extends MeteredIntegrationTest {

    /** Link-local (cloud metadata) in every IPv6 form, and IPv6 blocks never called. */
    private static final List<String> ALWAYS_REFUSED = List.of("::ffff:a9fe:a9fe", "::a9fe:a9fe",
            "64:ff9b::a9fe:a9fe", "64:ff9b:1::a9fe:a9fe", "2002:a9fe:a9fe::1", "2001:0:4136:e378:8000:63bf:5601:5601",
            "fe80::1", "ff02::1", "::", "2001:db8::1", "100::1", "::ffff:c000:207", "64:ff9b::e000:1");

    /** Loopback and private networks in every IPv6 form: never a provider. */
    private static final List<String> INTERNAL = List.of("::ffff:7f00:1", "::ffff:a00:5", "::a00:5", "::7f00:1",
            "64:ff9b::7f00:1", "64:ff9b::a00:5", "64:ff9b:1::a00:5", "2002:7f00:1::1", "2002:c0a8:101::1",
            "2001:0:4136:e378:8000:63bf:f5ff:fffa", "2001:0:7f00:1:8000:63bf:f7f7:f7f7", "::1", "fd00::1", "fc00::1",
            "fec0::1", "::ffff:6440:1");

    @Test
    void givenEveryIpv6FormOfAnAlwaysRefusedAddress_whenUsedInAWebhookUrl_thenA400NamesUrl() {
        SignedUp owner = signUp();
        String path = "/v1/orgs/" + owner.orgId() + "/webhooks";

        for (String address : ALWAYS_REFUSED) {
            assertThatProblem(owner.client().post(path, Map.of("url", "https://[" + address + "]:8443/hook")))
                    .as(address).hasStatus(400).namesField("url");
            String name = dnsName("hook", address, ".hooks.latchkey.test");
            assertThatProblem(owner.client().post(path, Map.of("url", "https://" + name + "/hook")))
                    .as(name + " -> " + address).hasStatus(400).namesField("url");
        }
        assertThat(owner.client().get(path).json().get("items")).isEmpty();
    }

    @Test
    void givenEveryIpv6FormOfAnInternalAddress_whenItIsAnAzureEndpointOrALiveKitUrl_thenA400NamesTheField() {
        SignedUp owner = signUp();
        String path = "/v1/orgs/" + owner.orgId() + "/credentials";

        for (String address : concat(INTERNAL, ALWAYS_REFUSED)) {
            String azure = dnsName("res", address, ".openai.azure.com");
            assertThatProblem(owner.client().post(path, azure("https://" + azure)))
                    .as(azure + " -> " + address).hasStatus(400).namesField("config.endpoint");
            String liveKit = dnsName("lk", address, ".livekit.cloud");
            assertThatProblem(owner.client().post(path, liveKit("wss://" + liveKit)))
                    .as(liveKit + " -> " + address).hasStatus(400).namesField("config.url");
            assertThatProblem(owner.client().post(path, azure("https://[" + address + "]")))
                    .as(address).hasStatus(400).namesField("config.endpoint");
            assertThatProblem(owner.client().post(path, liveKit("wss://[" + address + "]")))
                    .as(address).hasStatus(400).namesField("config.url");
        }
        assertThat(owner.client().get(path).json().get("items")).isEmpty();
    }

    @Test
    void givenWebhookHostsThatTurnInternalRefuseConnectionsOrResolveOnlyForLatchkey_whenAnEventIsDelivered_thenEachLogsACoarseReasonAndOnlyTheCheckedAddressIsCalled()
            throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            received.add(exchange.getRequestURI().getPath() + " Host=" + exchange.getRequestHeaders().getFirst("Host"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        int port = receiver.getAddress().getPort();
        String rebinding = "rebind-" + shortId() + ".hooks.latchkey.test";
        String pinned = "pinned-" + shortId() + ".hooks.latchkey.test";
        TestDns.answer(rebinding, "93.184.215.14");
        TestDns.answer(pinned, "127.0.0.1");
        try {
            SignedUp owner = signUp();
            String path = "/v1/orgs/" + owner.orgId() + "/webhooks";
            setQuota(platformAdmin(), owner.orgId(), allowance(2));
            String turnsInternal = webhook(owner, "http://" + rebinding + ":" + port + "/rebound");
            String onlyForLatchkey = webhook(owner, "http://" + pinned + ":" + port + "/pinned");
            String closedPort = webhook(owner, "http://127.0.0.1:" + closedPort() + "/closed");
            // Accepted while public; the attacker's DNS now answers with the metadata service.
            TestDns.answer(rebinding, "::ffff:169.254.169.254");

            assertThat(bill(client().bearer(createApiKey(owner, "tokens:mint")), billable()).status()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(firstAttempt(owner, path, turnsInternal).get("error").asString()).isEqualTo("refused address");
                assertThat(firstAttempt(owner, path, closedPort).get("error").asString()).isEqualTo("connection refused");
                assertThat(firstAttempt(owner, path, onlyForLatchkey).get("status_code").asInt()).isEqualTo(204);
            });
            assertThat(firstAttempt(owner, path, turnsInternal).get("status_code").isNull()).isTrue();
            assertThat(received).as("only the pinned name reached the receiver, which the system resolver cannot find")
                    .containsExactly("/pinned Host=" + pinned + ":" + port);
            assertThat(TestDns.lookups(pinned)).isPositive();
        } finally {
            TestDns.forget(rebinding);
            TestDns.forget(pinned);
            receiver.stop(0);
        }
    }

    @Test
    void givenTenantProviderHostsAcceptedWhilePublic_whenTheyResolveInternallyAtCallTime_thenMintingAndVerifyingAreRefusedAndNothingIsCalled() {
        String azureHost = "res-" + shortId() + ".openai.azure.com";
        String liveKitHost = "lk-" + shortId() + ".livekit.cloud";
        TestDns.answer(azureHost, "93.184.215.14");
        TestDns.answer(liveKitHost, "93.184.215.14");
        // An instance without the tests' fake base URLs for Azure and LiveKit: tenants' hosts are used.
        try (SecondInstance instance = SecondInstance.start(Map.of(
                "latchkey.providers.azure-openai.base-url", "", "latchkey.providers.livekit.base-url", ""))) {
            ApiClient console = instance.client();
            SignedUp owner = signUp(console);
            String credentials = "/v1/orgs/" + owner.orgId() + "/credentials";
            ApiClient.Response azure = console.post(credentials, azure("https://" + azureHost));
            ApiClient.Response liveKit = console.post(credentials, liveKit("wss://" + liveKitHost));
            assertThat(azure.status()).as(azure.body()).isEqualTo(201);
            assertThat(liveKit.status()).as(liveKit.body()).isEqualTo(201);
            ApiClient app = instance.client().bearer(createApiKey(owner, "tokens:mint"));
            TestDns.answer(azureHost, "64:ff9b::a00:5");
            TestDns.answer(liveKitHost, "::ffff:127.0.0.1");

            assertThatProblem(app.post("/v1/tokens", Map.of("provider", "azure-openai"))).hasStatus(400)
                    .namesField("config.endpoint");
            JsonNode azureCheck = console.post(credentials + "/" + azure.json().get("id").asString() + "/verify", null)
                    .json();
            JsonNode liveKitCheck = console.post(credentials + "/" + liveKit.json().get("id").asString() + "/verify",
                    null).json();

            assertThat(azureCheck.get("valid").asBoolean()).isFalse();
            assertThat(azureCheck.get("detail").asString()).contains("config.endpoint").contains("private");
            assertThat(liveKitCheck.get("valid").asBoolean()).isFalse();
            assertThat(liveKitCheck.get("detail").asString()).contains("config.url").contains("loopback");
            assertThat(TestDns.lookups(azureHost)).isPositive();
            assertThat(TestDns.lookups(liveKitHost)).isPositive();
        } finally {
            TestDns.forget(azureHost);
            TestDns.forget(liveKitHost);
        }
    }

    private static String webhook(SignedUp owner, String url) {
        ApiClient.Response created = owner.client().post("/v1/orgs/" + owner.orgId() + "/webhooks", Map.of("url", url));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private static JsonNode firstAttempt(SignedUp owner, String path, String webhookId) {
        JsonNode items = owner.client().get(path + "/" + webhookId + "/deliveries").json().get("items");
        assertThat(items).isNotEmpty();
        JsonNode attempts = items.get(0).get("attempt_log");
        assertThat(attempts).isNotEmpty();
        return attempts.get(0);
    }

    private static Map<String, Object> azure(String endpoint) {
        return Map.of("provider", "azure-openai", "label", "azure", "secret", Map.of("api_key", "azure-key-0000000001"),
                "config", Map.of("endpoint", endpoint, "deployment", "gpt-realtime"));
    }

    private static Map<String, Object> liveKit(String url) {
        return Map.of("provider", "livekit", "label", "livekit", "secret", Map.of("api_secret", "livekit-secret-000001"),
                "config", Map.of("api_key", "APIssrf", "url", url));
    }

    /** A fresh name that resolves to {@code address}. */
    private static String dnsName(String label, String address, String suffix) {
        String name = label + "-" + shortId() + suffix;
        TestDns.answer(name, address);
        return name;
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
