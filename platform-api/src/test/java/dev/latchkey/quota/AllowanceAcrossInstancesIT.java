package dev.latchkey.quota;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.MeteredIntegrationTest;
import dev.latchkey.support.SecondInstance;
import dev.latchkey.support.SecondInstanceExtension;

/** Quotas hold across instances: two application instances on one PostgreSQL and one Redis. */
@ExtendWith(SecondInstanceExtension.class)
class AllowanceAcrossInstancesIT extends MeteredIntegrationTest {

    private final SecondInstance secondInstance;

    AllowanceAcrossInstancesIT(SecondInstance secondInstance) {
        this.secondInstance = secondInstance;
    }

    @Test
    void givenAllowanceOf20_when200ConcurrentRequestsArriveOnTwoInstances_thenExactly20SucceedAnd180Get429AndTheLedgerHolds20Rows() {
        SignedUp owner = signUp();
        addLiveKitCredential(owner);
        String key = createApiKey(owner, "tokens:mint");
        setQuota(platformAdmin(), owner.orgId(), allowance(20));
        List<ApiClient> instances = List.of(client().bearer(key), secondInstance.client().bearer(key));

        List<ApiClient.Response> responses = concurrently(200, 50,
                i -> mintLiveKit(instances.get(i % 2), "user-" + i));

        List<ApiClient.Response> succeeded = responses.stream().filter(r -> r.status() == 200).toList();
        List<ApiClient.Response> refused = responses.stream().filter(r -> r.status() == 429).toList();
        assertThat(succeeded).hasSize(20);
        assertThat(refused).hasSize(180);
        assertThat(succeeded).allSatisfy(ok -> {
            assertThat(ok.json().get("token").asString()).startsWith("eyJ");
            assertThat(ok.header("RateLimit-Limit")).isNotNull();
            assertThat(ok.header("RateLimit-Remaining")).isNotNull();
            assertThat(ok.header("RateLimit-Reset")).isNotNull();
        });
        assertThat(refused).allSatisfy(no -> {
            assertThatProblem(no).hasType("/problems/quota-exceeded");
            assertThat(Long.parseLong(no.header("Retry-After"))).isPositive();
            assertThat(no.header("RateLimit-Limit")).isEqualTo("20");
            assertThat(no.header("RateLimit-Remaining")).isEqualTo("0");
            assertThat(no.header("RateLimit-Reset")).isNotNull();
        });
        assertThat(ledgerRows(owner.orgId())).isEqualTo(20);
        assertThat(owner.client().get("/v1/orgs/" + owner.orgId() + "/quota").json().get("monthly").get("used")
                .asLong()).isEqualTo(20);
    }

    @Test
    void givenRateLimitOf5PerMinute_whenTenRequestsArriveOnTwoInstances_thenFiveSucceedAndTheOthersAreRateLimited() {
        SignedUp owner = signUp();
        String key = createApiKey(owner, "tokens:mint");
        setQuota(platformAdmin(), owner.orgId(), Map.of("rate", Map.of("limit", 5, "window_seconds", 60),
                "monthly", Map.of("allowance", 1000)));
        List<ApiClient> instances = List.of(client().bearer(key), secondInstance.client().bearer(key));

        List<ApiClient.Response> responses = concurrently(10, 10, i -> bill(instances.get(i % 2), billable()));

        assertThat(responses).filteredOn(r -> r.status() == 200).hasSize(5);
        assertThat(responses).filteredOn(r -> r.status() == 429).hasSize(5).allSatisfy(no -> {
            assertThatProblem(no).hasType("/problems/rate-limited");
            assertThat(Long.parseLong(no.header("Retry-After"))).isBetween(1L, 60L);
            assertThat(no.header("RateLimit-Limit")).isEqualTo("5");
            assertThat(no.header("RateLimit-Remaining")).isEqualTo("0");
        });
        assertThat(ledgerRows(owner.orgId())).isEqualTo(5);
    }

    @Test
    void givenApiKeyWithItsOwnLimitOf3PerMinute_whenUsedFourTimes_thenTheFourthIsRateLimitedWhileAnotherKeyGoesOn() {
        SignedUp owner = signUp();
        ApiClient.Response created = owner.client().post("/v1/orgs/" + owner.orgId() + "/api-keys",
                Map.of("name", "limited", "scopes", new String[] {"tokens:mint"}, "rate_limit_per_minute", 3));
        ApiClient limited = client().bearer(created.json().get("key").asString());
        ApiClient other = secondInstance.client().bearer(createApiKey(owner, "tokens:mint"));

        List<Integer> statuses = List.of(bill(limited, billable()).status(), bill(limited, billable()).status(),
                bill(limited, billable()).status());
        ApiClient.Response fourth = bill(limited, billable());

        assertThat(statuses).containsOnly(200);
        assertThatProblem(fourth).hasStatus(429).hasType("/problems/rate-limited");
        assertThat(fourth.header("RateLimit-Limit")).isEqualTo("3");
        assertThat(fourth.json().get("detail").asString()).contains("API key");
        assertThat(bill(other, billable()).status()).isEqualTo(200);
    }
}
