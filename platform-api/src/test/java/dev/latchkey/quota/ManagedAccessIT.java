package dev.latchkey.quota;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.ManagedPlatform;
import dev.latchkey.support.MeteredIntegrationTest;
import tools.jackson.databind.JsonNode;

/** Which organizations may broker through the platform's credentials: by plan, or switched on per provider. */
class ManagedAccessIT extends MeteredIntegrationTest {

    private static final String PLATFORM_SECRET = "platform-managed-access-livekit-secret-0001";

    @Test
    void givenAPlatformAdmin_whenSwitchingManagedAccessOnAndOff_thenEveryInstanceBrokersAccordinglyAndTheOrgsLogSaysSo() {
        ApiClient admin = platformAdmin();
        ManagedPlatform.storeDefault(admin, ManagedPlatform.liveKit("access livekit", "APIaccess", PLATFORM_SECRET,
                "wss://access.livekit.cloud"));
        SignedUp owner = signUp();
        ApiClient app = client().bearer(createApiKey(owner, "tokens:mint"));
        String path = "/v1/admin/orgs/" + owner.orgId() + "/managed-access";
        assertThatProblem(mintLiveKit(app, "u")).hasStatus(409).hasType("/problems/no-credential");

        ApiClient.Response granted = admin.put(path, Map.of("providers", List.of("livekit", "openai", "livekit")));

        assertThat(granted.status()).as("%s", granted).isEqualTo(200);
        assertThat(granted.json().get("providers").toString()).isEqualTo("[\"livekit\",\"openai\"]");
        assertThat(granted.json().get("plan").asString()).isEqualTo("free");
        assertThat(granted.json().get("plan_providers")).isEmpty();
        assertThat(granted.json().get("effective_providers").toString()).isEqualTo("[\"livekit\",\"openai\"]");
        assertThat(admin.get(path).json()).isEqualTo(granted.json());
        assertThat(owner.client().get("/v1/orgs/" + owner.orgId() + "/managed-access").json()).isEqualTo(granted.json());
        ApiClient.Response minted = mintLiveKit(app, "u");
        assertThat(minted.status()).as("%s", minted).isEqualTo(200);
        assertThat(minted.json().get("url").asString()).as("where a LiveKit client connects").isEqualTo(
                "wss://access.livekit.cloud");

        assertThat(admin.put(path, Map.of("providers", List.of("openai"))).status()).isEqualTo(200);

        Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThatProblem(mintLiveKit(app, "u")).hasStatus(409).hasType("/problems/no-credential"));
        assertThatProblem(app.post("/v1/tokens", Map.of("provider", "livekit", "room", "r", "identity", "i",
                "credential", "managed"))).hasStatus(403).hasType("/problems/managed-access-not-enabled");
        JsonNode changes = owner.client().get("/v1/orgs/" + owner.orgId() + "/audit-events?action=managed_access.changed")
                .json().get("items");
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).get("details").get("providers").asString()).isEqualTo("openai");
        assertThat(changes.get(1).get("details").get("providers").asString()).isEqualTo("livekit,openai");
        assertThat(ledgerRows(owner.orgId())).isEqualTo(1);
    }

    @Test
    void givenTheManagedPlan_whenAnOrganizationIsMovedToIt_thenEveryProviderIsManagedWithoutASwitch() {
        ApiClient admin = platformAdmin();
        ManagedPlatform.storeDefault(admin, ManagedPlatform.liveKit("plan livekit", "APIplan", PLATFORM_SECRET,
                "wss://plan.livekit.cloud"));
        SignedUp owner = signUp();
        ApiClient app = client().bearer(createApiKey(owner, "tokens:mint"));

        setQuota(admin, owner.orgId(), Map.of("plan", "managed"));

        JsonNode access = admin.get("/v1/admin/orgs/" + owner.orgId() + "/managed-access").json();
        assertThat(access.get("plan").asString()).isEqualTo("managed");
        assertThat(access.get("providers")).isEmpty();
        assertThat(access.get("effective_providers").toString())
                .isEqualTo("[\"azure-openai\",\"daily\",\"livekit\",\"luna\",\"openai\"]");
        Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(mintLiveKit(app, "u").status()).isEqualTo(200));
        assertThat(queryLong("SELECT count(*) FROM usage_ledger WHERE org_id = ? AND credential_source = 'managed'",
                owner.orgId())).isEqualTo(1);
    }

    @Test
    void givenBadInput_whenChangingManagedAccess_thenA400NamesTheField_andAnUnknownOrganizationIsA404() {
        ApiClient admin = platformAdmin();
        SignedUp owner = signUp();
        String path = "/v1/admin/orgs/" + owner.orgId() + "/managed-access";

        assertThatProblem(admin.put(path, Map.of("providers", List.of("openai", "zoom")))).hasStatus(400)
                .namesField("providers[1]");
        assertThatProblem(admin.put(path, Map.of())).hasStatus(400).namesField("providers");
        assertThatProblem(admin.put(path, Map.of("providers", "openai"))).hasStatus(400);
        assertThatProblem(admin.put("/v1/admin/orgs/" + java.util.UUID.randomUUID() + "/managed-access",
                Map.of("providers", List.of()))).hasStatus(404);
        assertThat(admin.get(path).json().get("providers")).isEmpty();
    }

    @Test
    void givenAnotherOrganization_whenReadingItsManagedAccess_thenNotFound() {
        SignedUp owner = signUp();
        SignedUp stranger = signUp();

        assertThatProblem(stranger.client().get("/v1/orgs/" + owner.orgId() + "/managed-access")).hasStatus(404);
        assertThatProblem(client().bearer(createApiKey(stranger, "usage:read"))
                .get("/v1/orgs/" + owner.orgId() + "/managed-access")).hasStatus(404);
        assertThat(client().bearer(createApiKey(owner, "usage:read"))
                .get("/v1/orgs/" + owner.orgId() + "/managed-access").status()).isEqualTo(200);
    }
}
