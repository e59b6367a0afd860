package dev.latchkey.quota;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.MeteredIntegrationTest;
import dev.latchkey.support.OwnRedisServer;
import dev.latchkey.support.Reliability;
import dev.latchkey.support.SecondInstance;
import dev.latchkey.support.TestInfrastructure;

/**
 * A Redis outage, on a redis-server of this test's own that it stops and starts again: two
 * instances keep serving, rate limits fall back to per-instance buckets, the monthly allowance
 * stays exact, readiness says DEGRADED, and all of it recovers by itself.
 */
@DirtiesContext // its Redis is gone after this class: no other test may reuse the context
class RedisOutageIT extends MeteredIntegrationTest {

    private static final OwnRedisServer redis = OwnRedisServer.start();
    private static SecondInstance secondInstance;
    /** Each instance tries Redis again a second after a failure (5 s by default): recovery comes sooner. */
    private static final Map<String, String> RETRY_SOON = Map.of("latchkey.rate-limits.redis.retry-after-failure", "1s");

    /** A URL outranks host and port, so both instances use this test's Redis. */
    @DynamicPropertySource
    static void ownRedis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", redis::url);
        RETRY_SOON.forEach((name, value) -> registry.add(name, () -> value));
    }

    @BeforeAll
    static void startSecondInstance() {
        Map<String, String> properties = new java.util.HashMap<>(RETRY_SOON);
        properties.put("spring.data.redis.url", redis.url());
        secondInstance = SecondInstance.start(properties);
    }

    @AfterAll
    static void stopEverything() {
        secondInstance.close();
        redis.close();
    }

    @Test
    void givenAllowanceOf20_whenRedisStopsWhile200RequestsRunOnTwoInstances_thenStillExactly20SucceedAndEverythingRecovers() {
        redis.startAgain();
        SignedUp owner = signUp();
        addLiveKitCredential(owner);
        String key = createApiKey(owner, "tokens:mint");
        setQuota(platformAdmin(), owner.orgId(), allowance(20));
        List<ApiClient> instances = List.of(client().bearer(key), secondInstance.client().bearer(key));
        List<ApiClient> readiness = List.of(client(), secondInstance.client());
        assertThat(readiness).allSatisfy(instance -> assertThat(rateLimitsStatus(instance)).isEqualTo("UP"));

        // The first ten go through Redis; Redis is killed as the other 190 are released.
        List<ApiClient.Response> responses = new ArrayList<>(concurrently(10, 10,
                i -> mintLiveKit(instances.get(i % 2), "before-" + i)));
        assertThat(responses).extracting(ApiClient.Response::status).containsOnly(200);
        CompletableFuture<Void> outage = CompletableFuture.runAsync(redis::stop);
        Reliability.faultInjected();
        responses.addAll(concurrently(190, 40, i -> mintLiveKit(instances.get(i % 2), "during-" + i)));
        outage.join();

        assertThat(responses).filteredOn(r -> r.status() == 200).hasSize(20);
        assertThat(responses).filteredOn(r -> r.status() == 429).hasSize(180).allSatisfy(no -> {
            assertThatProblem(no).hasType("/problems/quota-exceeded");
            assertThat(Long.parseLong(no.header("Retry-After"))).isPositive();
        });
        Reliability.lostLedgerRows(Math.abs(responses.stream().filter(r -> r.status() == 200).count()
                - ledgerRows(owner.orgId())));
        assertThat(ledgerRows(owner.orgId())).isEqualTo(20);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(readiness)
                .allSatisfy(instance -> assertThat(rateLimitsStatus(instance)).isEqualTo("DEGRADED")));
        ApiClient.Response degraded = client().get("/actuator/health/readiness");
        assertThat(degraded.status()).as("degraded, but still serving").isEqualTo(200);
        assertThat(degraded.json().get("status").asString()).isEqualTo("DEGRADED");

        redis.startAgain();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(readiness)
                .allSatisfy(instance -> assertThat(rateLimitsStatus(instance)).isEqualTo("UP")));
        assertThat(client().get("/actuator/health/readiness").json().get("status").asString()).isEqualTo("UP");
        Reliability.faultSurvived();
    }

    @Test
    void givenRedisDown_whenAnOrganizationHitsItsRateLimit_thenEachInstanceLimitsOnItsOwnUntilRedisReturns() {
        redis.startAgain();
        SignedUp owner = signUp();
        ApiClient onFirst = client().bearer(createApiKey(owner, "tokens:mint"));
        ApiClient onSecond = secondInstance.client().bearer(createApiKey(owner, "tokens:mint"));
        setQuota(platformAdmin(), owner.orgId(), Map.of("rate", Map.of("limit", 3, "window_seconds", 600),
                "monthly", Map.of("allowance", 1000)));
        redis.stop();
        Reliability.faultInjected();

        List<Integer> first = List.of(bill(onFirst, billable()).status(), bill(onFirst, billable()).status(),
                bill(onFirst, billable()).status(), bill(onFirst, billable()).status());
        List<Integer> second = List.of(bill(onSecond, billable()).status(), bill(onSecond, billable()).status(),
                bill(onSecond, billable()).status(), bill(onSecond, billable()).status());

        assertThat(first).containsExactly(200, 200, 200, 429);
        assertThat(second).as("per-instance buckets: the limit holds on each instance alone")
                .containsExactly(200, 200, 200, 429);

        redis.startAgain();
        await().atMost(Duration.ofSeconds(15)).until(() -> "UP".equals(rateLimitsStatus(client()))
                && "UP".equals(rateLimitsStatus(secondInstance.client())));
        ApiClient.Response shared = bill(onFirst, billable());
        assertThat(shared.status()).as("Redis holds fresh buckets again").isEqualTo(200);
        assertThat(redisKeys()).anyMatch(k -> k.contains("quota:org:" + owner.orgId()));
        Reliability.faultSurvived();
    }

    private static String rateLimitsStatus(ApiClient instance) {
        return instance.get("/actuator/health/readiness").json().path("components").path("rateLimits")
                .path("status").asString("");
    }

    private static List<String> redisKeys() {
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().keys(TestInfrastructure.get().properties().get("latchkey.redis.key-prefix") + "*");
        } finally {
            client.shutdown();
        }
    }
}
