package dev.latchkey.quota;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.MeteredIntegrationTest;

import tools.jackson.databind.JsonNode;

class QuotaIT extends MeteredIntegrationTest {

    @Test
    void givenNewOrganization_whenReadingItsQuota_thenItShowsTheFreePlansLimitsAndNothingUsed() {
        SignedUp owner = signUp();

        JsonNode quota = owner.client().get("/v1/orgs/" + owner.orgId() + "/quota").json();

        assertThat(quota.get("plan").asString()).isEqualTo("free");
        assertThat(quota.get("rate").get("limit").asLong()).isEqualTo(60);
        assertThat(quota.get("rate").get("window_seconds").asLong()).isEqualTo(60);
        assertThat(quota.get("monthly").get("allowance").asLong()).isEqualTo(1000);
        assertThat(quota.get("monthly").get("used").asLong()).isZero();
        assertThat(quota.get("monthly").get("period").asString()).matches("\\d{4}-\\d{2}");
        assertThat(quota.get("overrides").get("rate").isNull()).isTrue();
    }

    @Test
    void givenPlatformAdmin_whenMovingAnOrganizationToProAndOverridingItsAllowance_thenTheOrganizationSeesBothAndItIsAudited() {
        SignedUp owner = signUp();
        ApiClient admin = platformAdmin();

        ApiClient.Response changed = admin.put("/v1/admin/orgs/" + owner.orgId() + "/quota",
                Map.of("plan", "pro", "monthly", Map.of("allowance", 42)));

        assertThat(changed.status()).isEqualTo(200);
        JsonNode quota = owner.client().get("/v1/orgs/" + owner.orgId() + "/quota").json();
        assertThat(quota.get("plan").asString()).isEqualTo("pro");
        assertThat(quota.get("rate").get("limit").asLong()).as("the pro plan's rate").isEqualTo(600);
        assertThat(quota.get("rate").get("burst").asLong()).isEqualTo(1200);
        assertThat(quota.get("monthly").get("allowance").asLong()).isEqualTo(42);
        assertThat(quota.get("overrides").get("monthly_allowance").asLong()).isEqualTo(42);
        awaitAuditLinked();
        assertThat(queryLong("SELECT count(*) FROM audit_events WHERE action = 'quota.changed' AND org_id = ?",
                owner.orgId())).isEqualTo(1);

        admin.put("/v1/admin/orgs/" + owner.orgId() + "/quota", Map.of());
        assertThat(owner.client().get("/v1/orgs/" + owner.orgId() + "/quota").json().get("monthly").get("allowance")
                .asLong()).as("PUT replaces the overrides: none left").isEqualTo(100_000);
    }

    @Test
    void givenSomeoneWhoIsNotAPlatformAdmin_whenSettingAQuota_thenThereIsNothingThere() {
        SignedUp owner = signUp();
        String adminKey = createApiKey(owner, "admin");

        assertThatProblem(owner.client().put("/v1/admin/orgs/" + owner.orgId() + "/quota", allowance(5)))
                .hasStatus(404);
        assertThatProblem(client().bearer(adminKey).put("/v1/admin/orgs/" + owner.orgId() + "/quota", allowance(5)))
                .hasStatus(404);
    }

    @Test
    void givenBadQuotaInput_whenSet_thenA400NamesTheField() {
        SignedUp owner = signUp();
        ApiClient admin = platformAdmin();
        String path = "/v1/admin/orgs/" + owner.orgId() + "/quota";

        assertThatProblem(admin.put(path, Map.of("plan", "platinum"))).hasStatus(400).namesField("plan");
        assertThatProblem(admin.put(path, Map.of("monthly", Map.of("allowance", -1)))).hasStatus(400)
                .namesField("monthly.allowance");
        assertThatProblem(admin.put(path, Map.of("rate", Map.of("limit", 0, "window_seconds", 60)))).hasStatus(400)
                .namesField("rate.limit");
        assertThatProblem(admin.put(path, Map.of("rate", Map.of("limit", 5)))).hasStatus(400)
                .namesField("rate.window_seconds");
        assertThatProblem(admin.put("/v1/admin/orgs/" + UUID.randomUUID() + "/quota", allowance(5))).hasStatus(404);
    }

    @Test
    void givenAnotherOrganization_whenReadingItsQuota_thenItIsNotFound() {
        SignedUp owner = signUp();
        SignedUp stranger = signUp();

        assertThatProblem(stranger.client().get("/v1/orgs/" + owner.orgId() + "/quota")).hasStatus(404)
                .hasType("/problems/not-found");
    }
}
