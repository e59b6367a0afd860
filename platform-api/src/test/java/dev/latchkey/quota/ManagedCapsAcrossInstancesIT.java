package dev.latchkey.quota;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.ManagedPlatform;
import dev.latchkey.support.MeteredIntegrationTest;
import dev.latchkey.support.SecondInstance;
import dev.latchkey.support.SecondInstanceExtension;

/**
 * The platform-wide caps of a managed credential hold across instances and across the
 * organizations that share it, and a refusal tells a tenant nothing about the others.
 */
@ExtendWith(SecondInstanceExtension.class)
class ManagedCapsAcrossInstancesIT extends MeteredIntegrationTest {

    private final SecondInstance secondInstance;

    ManagedCapsAcrossInstancesIT(SecondInstance secondInstance) {
        this.secondInstance = secondInstance;
    }

    /** Two organizations with managed LiveKit, each with a key on each instance (calls alternate between the four). */
    private record Sharing(List<SignedUp> owners, List<ApiClient> apps) {
    }

    private Sharing twoOrganizationsSharing(ApiClient admin) {
        List<SignedUp> owners = List.of(signUp(), signUp());
        List<ApiClient> apps = new java.util.ArrayList<>();
        for (SignedUp owner : owners) {
            ManagedPlatform.grant(admin, owner.orgId(), "livekit");
            String key = createApiKey(owner, "tokens:mint");
            apps.add(client().bearer(key));
            apps.add(secondInstance.client().bearer(key));
        }
        return new Sharing(owners, apps);
    }

    @Test
    void givenAMonthlyCapOf7_when40RequestsOfTwoOrganizationsArriveOnTwoInstances_thenExactly7GoThroughTheCredential() {
        ApiClient admin = platformAdmin();
        UUID credential = ManagedPlatform.id(ManagedPlatform.storeDefault(admin, Map.of("provider", "livekit",
                "label", "capped monthly", "secret", Map.of("api_secret", "platform-capped-monthly-secret-0001"),
                "config", Map.of("api_key", "APIcapmonth", "url", "wss://capped.livekit.cloud"),
                "cap", Map.of("requests_per_month", 7))));
        Sharing sharing = twoOrganizationsSharing(admin);

        List<ApiClient.Response> responses = concurrently(40, 20,
                i -> mintLiveKit(sharing.apps().get(i % 4), "user-" + i));

        assertThat(responses).filteredOn(r -> r.status() == 200).hasSize(7);
        List<ApiClient.Response> refused = responses.stream().filter(r -> r.status() != 200).toList();
        assertThat(refused).hasSize(33).allSatisfy(no -> assertRevealsNothing(no, credential, sharing));
        assertThat(queryLong("SELECT count(*) FROM usage_ledger WHERE credential_id = ? AND credential_source = 'managed'",
                credential)).isEqualTo(7);
        assertThat(quotaUsed(sharing.owners().get(0)) + quotaUsed(sharing.owners().get(1)))
                .as("refused requests gave their organizations' allowance back").isEqualTo(7);

        SignedUp withOwnKey = sharing.owners().get(0);
        addLiveKitCredential(withOwnKey);
        assertThat(mintLiveKit(sharing.apps().get(0), "own").status())
                .as("the organization's own credential is not held to the platform's cap").isEqualTo(200);
        admin.delete("/v1/admin/credentials/" + credential);
    }

    @Test
    void givenACapOf5PerMinute_when16RequestsOfTwoOrganizationsArriveOnTwoInstances_thenExactly5GoThrough() {
        ApiClient admin = platformAdmin();
        UUID credential = ManagedPlatform.id(ManagedPlatform.storeDefault(admin, Map.of("provider", "livekit",
                "label", "capped per minute", "secret", Map.of("api_secret", "platform-capped-minute-secret-0001"),
                "config", Map.of("api_key", "APIcapminute", "url", "wss://capped.livekit.cloud"),
                "cap", Map.of("requests_per_minute", 5))));
        Sharing sharing = twoOrganizationsSharing(admin);

        List<ApiClient.Response> responses = concurrently(16, 16,
                i -> mintLiveKit(sharing.apps().get(i % 4), "user-" + i));

        assertThat(responses).filteredOn(r -> r.status() == 200).hasSize(5);
        List<ApiClient.Response> refused = responses.stream().filter(r -> r.status() != 200).toList();
        assertThat(refused).hasSize(11).allSatisfy(no -> {
            assertRevealsNothing(no, credential, sharing);
            assertThat(Long.parseLong(no.header("Retry-After"))).isBetween(1L, 60L);
        });
        assertThat(queryLong("SELECT count(*) FROM usage_ledger WHERE credential_id = ?", credential)).isEqualTo(5);
        admin.delete("/v1/admin/credentials/" + credential);
    }

    /** A 429 of the platform's cap: a retry time, and nothing of the cap, the credential or the other tenant. */
    private static void assertRevealsNothing(ApiClient.Response refused, UUID credential, Sharing sharing) {
        assertThatProblem(refused).hasStatus(429).hasType("/problems/managed-capacity");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
        assertThat(refused.header("RateLimit-Limit")).isNull();
        assertThat(refused.header("RateLimit-Remaining")).isNull();
        assertThat(refused.json().get("detail").asString()).contains("livekit").doesNotContain("requests")
                .doesNotContain(" 7 ");
        assertThat(refused.body()).doesNotContain(credential.toString()).doesNotContain("capped")
                .doesNotContain(sharing.owners().get(0).orgId().toString())
                .doesNotContain(sharing.owners().get(1).orgId().toString());
    }
}
