package dev.latchkey.ledger;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.MeteredIntegrationTest;
import dev.latchkey.support.TestInfrastructure;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ExtendWith(OutputCaptureExtension.class)
class UsageAlertsIT extends MeteredIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One request the receiver got, and what it answered. */
    record Received(String eventId, String signature, String body, int answered) {
    }

    /** A webhook receiver on 127.0.0.1 that fails the first attempt of every event with a 500. */
    static final class Receiver implements AutoCloseable {
        private final HttpServer server;
        private final List<Received> received = new CopyOnWriteArrayList<>();
        private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

        Receiver() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/hooks", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String eventId = exchange.getRequestHeaders().getFirst("Latchkey-Event-Id");
                int status = failedOnce.add(eventId) ? 500 : 200;
                received.add(new Received(eventId, exchange.getRequestHeaders().getFirst("Latchkey-Signature"), body,
                        status));
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
        }

        List<Received> answered(int status) {
            return received.stream().filter(r -> r.answered() == status).toList();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void givenWebhookAndAllowanceOf10_whenUsageCrosses50_80And100Percent_thenEachEventArrivesOnceSignedAfterAFailedFirstAttempt(
            CapturedOutput output) throws Exception {
        try (Receiver receiver = new Receiver()) {
            SignedUp owner = signUp();
            String orgPath = "/v1/orgs/" + owner.orgId();
            setQuota(platformAdmin(), owner.orgId(), allowance(10));
            ApiClient.Response created = owner.client().post(orgPath + "/webhooks",
                    Map.of("url", receiver.url(), "description", "usage alerts"));
            assertThat(created.status()).isEqualTo(201);
            String secret = created.json().get("secret").asString();
            String webhookId = created.json().get("id").asString();
            assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
            ApiClient app = client().bearer(createApiKey(owner, "tokens:mint"));

            for (int i = 0; i < 10; i++) {
                assertThat(bill(app, billable()).status()).isEqualTo(200);
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.answered(200).size() >= 3);
            Map<String, List<Received>> byEvent = receiver.received.stream()
                    .collect(Collectors.groupingBy(Received::eventId));
            assertThat(byEvent).hasSize(3).allSatisfy((eventId, attempts) -> assertThat(attempts)
                    .extracting(Received::answered).as("a failed first attempt, then one delivery")
                    .containsExactly(500, 200));
            List<JsonNode> events = receiver.answered(200).stream().map(r -> {
                assertThat(signatureVerifies(secret, r)).as("signature of %s", r.eventId()).isTrue();
                return JSON.readTree(r.body());
            }).toList();
            assertThat(events).extracting(e -> e.get("type").asString()).containsOnly("usage.threshold_crossed");
            assertThat(events).extracting(e -> e.get("org_id").asString()).containsOnly(owner.orgId().toString());
            assertThat(events).extracting(e -> e.get("data").get("threshold_percent").asInt())
                    .containsExactlyInAnyOrder(50, 80, 100);
            assertThat(events).extracting(e -> e.get("data").get("used").asLong()).containsExactlyInAnyOrder(5L, 8L, 10L);
            assertThat(events).extracting(e -> e.get("data").get("allowance").asLong()).containsOnly(10L);

            JsonNode log = owner.client().get(orgPath + "/webhooks/" + webhookId + "/deliveries").json();
            assertThat(log.get("items")).hasSize(3).allSatisfy(delivery -> {
                assertThat(delivery.get("status").asString()).isEqualTo("delivered");
                assertThat(delivery.get("attempts").asInt()).isEqualTo(2);
                assertThat(delivery.get("attempt_log").get(0).get("status_code").asInt()).isEqualTo(500);
                assertThat(delivery.get("attempt_log").get(1).get("status_code").asInt()).isEqualTo(200);
            });
            assertThat(owner.client().get(orgPath + "/usage-alerts").json().get("items")).hasSize(3);

            assertThatProblem(bill(app, billable())).hasStatus(429);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> receiver.received.size() == 6);

            String listed = owner.client().get(orgPath + "/webhooks").body();
            String fetched = owner.client().get(orgPath + "/webhooks/" + webhookId).body();
            assertThat(listed).contains(webhookId).doesNotContain(secret);
            assertThat(fetched).contains("whsec_").doesNotContain(secret);
            assertThat(output.getAll()).doesNotContain(secret);
            assertThat(everyWebhookRow()).doesNotContain(secret);
        }
    }

    @Test
    void givenTenantSuppliedUrls_whenCreatingWebhooks_thenLinkLocalAddressesAndOtherSchemesAreRefused() {
        SignedUp owner = signUp();
        String path = "/v1/orgs/" + owner.orgId() + "/webhooks";

        assertThatProblem(owner.client().post(path, Map.of("url", "http://169.254.169.254/latest/meta-data")))
                .hasStatus(400).namesField("url");
        assertThatProblem(owner.client().post(path, Map.of("url", "http://[fe80::1]/hook"))).hasStatus(400)
                .namesField("url");
        assertThatProblem(owner.client().post(path, Map.of("url", "ftp://example.com/hook"))).hasStatus(400)
                .namesField("url");
        assertThatProblem(owner.client().post(path, Map.of("url", "http://user:pw@example.com/hook"))).hasStatus(400)
                .namesField("url");
        assertThatProblem(owner.client().post(path, Map.of("url", "https://example.com/hook", "events",
                List.of("everything")))).hasStatus(400).namesField("events");
    }

    @Test
    void givenWebhooksOfAnOrganization_whenOthersOrViewersTouchThem_thenTheyCannotAndTheOwnerCanDelete() {
        SignedUp owner = signUp();
        SignedUp stranger = signUp();
        SignedUp viewer = signUpMemberOf(owner, "viewer");
        String path = "/v1/orgs/" + owner.orgId() + "/webhooks";
        String id = owner.client().post(path, Map.of("url", "https://example.com/hook")).json().get("id").asString();

        assertThatProblem(stranger.client().get(path)).hasStatus(404);
        assertThatProblem(stranger.client().delete(path + "/" + id)).hasStatus(404);
        assertThatProblem(viewer.client().post(path, Map.of("url", "https://example.com/other"))).hasStatus(403);
        assertThat(owner.client().delete(path + "/" + id).status()).isEqualTo(204);
        assertThatProblem(owner.client().get(path + "/" + id)).hasStatus(404);
        assertThat(owner.client().get(path).json().get("items")).isEmpty();
    }

    /** What a receiver does: recompute the HMAC over "t.body" and compare in constant time. */
    private static boolean signatureVerifies(String secret, Received received) {
        Map<String, String> parts = java.util.Arrays.stream(received.signature().split(","))
                .map(part -> part.split("=", 2)).collect(Collectors.toMap(p -> p[0], p -> p[1]));
        long timestamp = Long.parseLong(parts.get("t"));
        assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(300);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((timestamp + "." + received.body()).getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(expected, HexFormat.of().parseHex(parts.get("v1")));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String everyWebhookRow() throws SQLException {
        awaitAuditLinked();
        StringBuilder all = new StringBuilder();
        try (Connection connection = TestInfrastructure.get().connect(); Statement statement = connection.createStatement()) {
            for (String table : List.of("webhook_endpoints", "webhook_deliveries", "webhook_delivery_attempts",
                    "audit_events")) {
                try (ResultSet rs = statement.executeQuery("SELECT t::text FROM " + table + " t")) {
                    while (rs.next()) {
                        all.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        return all.toString();
    }
}
