package dev.latchkey.admin;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.PlatformAdmins;
import dev.latchkey.support.TestInfrastructure;
import tools.jackson.databind.JsonNode;

/**
 * The admin API: only platform admins see it at all; they list and search organizations and
 * suspend and resume them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiIT extends IntegrationTest {

    /** An organization whose owner and admin-scoped key are no platform admins. */
    private SignedUp bystander;
    private List<ApiClient> nonAdmins;
    /** The organization the non-admins aim the admin endpoints at. */
    private SignedUp target;

    @BeforeAll
    void createNonAdminsAndTheirTarget() {
        bystander = signUp();
        nonAdmins = List.of(bystander.client(), client().bearer(createApiKey(bystander, "admin")));
        target = signUp();
    }

    /** One admin endpoint; {org} is an existing organization's id. */
    record Endpoint(String method, String path, String body, String contentType) {
        @Override
        public String toString() {
            return method + " " + path + (body == null ? "" : " " + body);
        }
    }

    static Stream<Endpoint> adminEndpoints() {
        return Stream.of(
                new Endpoint("GET", "/v1/admin/orgs", null, null),
                new Endpoint("GET", "/v1/admin/orgs?status=bogus&limit=x", null, null),
                new Endpoint("POST", "/v1/admin/orgs/{org}/suspend", "{\"reason\":\"abuse\"}", "application/json"),
                new Endpoint("POST", "/v1/admin/orgs/{org}/suspend", "{not json", "application/json"),
                new Endpoint("POST", "/v1/admin/orgs/{org}/suspend", "reason=abuse", "text/plain"),
                new Endpoint("GET", "/v1/admin/orgs/{org}/suspend", null, null),
                new Endpoint("POST", "/v1/admin/orgs/{org}/resume", null, null),
                new Endpoint("GET", "/v1/admin/audit-events", null, null),
                new Endpoint("GET", "/v1/admin/audit-events?org_id={org}", null, null),
                new Endpoint("GET", "/v1/admin/audit-events?unknown=1", null, null),
                new Endpoint("POST", "/v1/admin/audit-events/verify", null, null),
                new Endpoint("GET", "/v1/admin/audit-events/verify", null, null),
                new Endpoint("POST", "/v1/admin/keys/rotate", null, null),
                new Endpoint("PUT", "/v1/admin/orgs/{org}/quota", "{\"monthly\":{\"allowance\":1}}",
                        "application/json"),
                new Endpoint("GET", "/v1/admin/usage", null, null),
                new Endpoint("GET", "/v1/admin/credentials", null, null),
                new Endpoint("POST", "/v1/admin/credentials", "{\"provider\":\"openai\",\"label\":\"x\","
                        + "\"secret\":{\"api_key\":\"sk-admin-table-0000000000000\"}}", "application/json"),
                new Endpoint("GET", "/v1/admin/credentials/{org}", null, null),
                new Endpoint("DELETE", "/v1/admin/credentials/{org}", null, null),
                new Endpoint("PUT", "/v1/admin/credentials/{org}/secret", "{\"secret\":{}}", "application/json"),
                new Endpoint("PUT", "/v1/admin/credentials/{org}/cap", "{}", "application/json"),
                new Endpoint("POST", "/v1/admin/credentials/{org}/verify", null, null),
                new Endpoint("POST", "/v1/admin/credentials/{org}/default", null, null),
                new Endpoint("GET", "/v1/admin/orgs/{org}/managed-access", null, null),
                new Endpoint("PUT", "/v1/admin/orgs/{org}/managed-access", "{\"providers\":[\"openai\"]}",
                        "application/json"),
                new Endpoint("GET", "/v1/admin", null, null),
                new Endpoint("GET", "/v1/%61dmin/orgs", null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adminEndpoints")
    void givenAConsoleUserOrApiKeyThatIsNoPlatformAdmin_whenCallingAnyAdminEndpoint_thenNotFound(Endpoint endpoint) {
        String path = endpoint.path().replace("{org}", target.orgId().toString());

        for (ApiClient caller : nonAdmins) {
            ApiClient.Response response = caller.send(endpoint.method(), path, endpoint.body(),
                    endpoint.contentType());
            assertThatProblem(response).hasStatus(404).hasType("/problems/not-found");
            assertThat(response.json().get("detail").asString()).startsWith("No resource at ");
        }
        assertThat(target.client().get("/v1/orgs/" + target.orgId()).json().get("status").asString())
                .isEqualTo("active");
    }

    @Test
    void givenAPlatformAdmin_whenCallingTheReadEndpointsAndVerify_thenTheyAnswer() {
        assertThat(platformAdmin().get("/v1/admin/orgs").status()).isEqualTo(200);
        assertThat(platformAdmin().get("/v1/admin/audit-events").status()).isEqualTo(200);
        assertThat(platformAdmin().post("/v1/admin/audit-events/verify", null).status()).isEqualTo(200);
    }

    @Test
    void givenOrganizationsWithMembersAndKeys_whenAnAdminSearchesByName_thenEachIsListedWithItsCounts() {
        SignedUp owner = signUp();
        String name = "Searchable " + UUID.randomUUID();
        owner.client().patch("/v1/orgs/" + owner.orgId(), Map.of("name", name));
        SignedUp member = signUpMemberOf(owner, "developer");
        issueApiKey(owner, "usage:read");
        IssuedKey revoked = issueApiKey(owner, "usage:read");
        owner.client().delete("/v1/orgs/" + owner.orgId() + "/api-keys/" + revoked.id());

        JsonNode byName = onlyItem(platformAdmin().get("/v1/admin/orgs?q=" + encode(name.substring(0, 30)
                .toLowerCase())));

        assertThat(byName.get("id").asString()).isEqualTo(owner.orgId().toString());
        assertThat(byName.get("name").asString()).isEqualTo(name);
        assertThat(byName.get("status").asString()).isEqualTo("active");
        assertThat(byName.get("member_count").asLong()).isEqualTo(2);
        assertThat(byName.get("api_key_count").asLong()).as("keys not revoked").isEqualTo(1);
        assertThat(byName.get("usage").get("totals").isEmpty()).as("nothing billed yet").isTrue();
        assertThat(byName.get("usage").get("period").asString()).matches("\\d{4}-\\d{2}");
        assertThat(byName.get("created_at").asString()).isNotBlank();
        assertThat(onlyItem(platformAdmin().get("/v1/admin/orgs?q=" + owner.orgId())).get("id").asString())
                .isEqualTo(owner.orgId().toString());
        assertThat(platformAdmin().get("/v1/admin/orgs?q=" + encode(member.email())).json().get("items")
                .valueStream().map(item -> item.get("id").asString()).toList())
                .contains(owner.orgId().toString(), member.orgId().toString());
        assertThat(platformAdmin().get("/v1/admin/orgs?q=" + encode("%")).status()).isEqualTo(200);
    }

    @Test
    void givenManyMatchingOrganizations_whenPagingTheList_thenEachIsListedExactlyOnceNewestFirst() {
        String tag = "paged-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SignedUp owner = signUp();
            owner.client().patch("/v1/orgs/" + owner.orgId(), Map.of("name", tag + " " + i));
            created.add(0, owner.orgId().toString());
        }

        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = platformAdmin().get("/v1/admin/orgs?limit=2&q=" + tag
                    + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("items").forEach(item -> listed.add(item.get("id").asString()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
        } while (cursor != null);

        assertThat(listed).containsExactlyElementsOf(created);
    }

    @Test
    void givenInvalidListParameters_whenListing_thenBadRequestNamingThem() {
        assertThatProblem(platformAdmin().get("/v1/admin/orgs?status=frozen")).hasStatus(400).namesField("status");
        assertThatProblem(platformAdmin().get("/v1/admin/orgs?limit=0")).hasStatus(400).namesField("limit");
        assertThatProblem(platformAdmin().get("/v1/admin/orgs?cursor=nope")).hasStatus(400).namesField("cursor");
    }

    @Test
    void givenAnAdminListingOrganizations_whenTheAuditLogIsRead_thenTheListingIsOnRecord() {
        String query = "audited-" + UUID.randomUUID().toString().substring(0, 8);

        platformAdmin().get("/v1/admin/orgs?q=" + query);

        JsonNode listing = platformAdmin().get("/v1/admin/audit-events?action=admin.organizations_listed&limit=1")
                .json().get("items").get(0);
        assertThat(listing.get("details").get("query").asString()).isEqualTo(query);
        assertThat(listing.get("actor_type").asString()).isEqualTo("user");
    }

    @Test
    void givenSuspendedOrganizations_whenFilteringByStatus_thenOnlyThoseAreListed() {
        SignedUp suspended = signUp();
        SignedUp active = signUp();
        platformAdmin().post("/v1/admin/orgs/" + suspended.orgId() + "/suspend", Map.of());

        List<String> listed = platformAdmin().get("/v1/admin/orgs?status=suspended&limit=200").json().get("items")
                .valueStream().peek(item -> assertThat(item.get("status").asString()).isEqualTo("suspended"))
                .map(item -> item.get("id").asString()).toList();

        assertThat(listed).contains(suspended.orgId().toString()).doesNotContain(active.orgId().toString());
        platformAdmin().post("/v1/admin/orgs/" + suspended.orgId() + "/resume", null);
    }

    @Test
    void givenAnActiveOrganization_whenSuspendedAndResumed_thenEachChangeIsReturnedAndOnTheOrganizationsRecord() {
        SignedUp owner = signUp();
        String orgPath = "/v1/orgs/" + owner.orgId();

        ApiClient.Response suspended = platformAdmin().post("/v1/admin/orgs/" + owner.orgId() + "/suspend",
                Map.of("reason", "card testing"));
        ApiClient.Response again = platformAdmin().post("/v1/admin/orgs/" + owner.orgId() + "/suspend", null);

        assertThat(suspended.status()).isEqualTo(200);
        assertThat(suspended.json().get("status").asString()).isEqualTo("suspended");
        assertThat(suspended.json().get("suspension_reason").asString()).isEqualTo("card testing");
        assertThat(suspended.json().get("suspended_at").asString()).isNotBlank();
        assertThat(again.status()).as("suspending twice changes nothing").isEqualTo(200);
        assertThat(owner.client().get(orgPath).json().get("status").asString()).isEqualTo("suspended");

        ApiClient.Response resumed = platformAdmin().post("/v1/admin/orgs/" + owner.orgId() + "/resume", null);

        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.json().get("status").asString()).isEqualTo("active");
        assertThat(resumed.json().get("suspended_at").isNull()).isTrue();
        List<JsonNode> record = owner.client().get(orgPath + "/audit-events?action=organization.*").json()
                .get("items").valueStream().toList();
        assertThat(record).extracting(event -> event.get("action").asString())
                .containsExactly("organization.resumed", "organization.suspended", "organization.created");
        assertThat(record.get(1).get("details").get("reason").asString()).isEqualTo("card testing");
    }

    @Test
    void givenUnknownOrganizationOrTooLongReason_whenSuspending_thenNotFoundOrBadRequest() {
        assertThatProblem(platformAdmin().post("/v1/admin/orgs/" + UUID.randomUUID() + "/suspend", null))
                .hasStatus(404).hasType("/problems/not-found");
        assertThatProblem(platformAdmin().post("/v1/admin/orgs/" + signUp().orgId() + "/suspend",
                Map.of("reason", "x".repeat(501)))).hasStatus(400).namesField("reason");
    }

    @Test
    void givenASuspendedOrganization_whenItsMembersUseTheConsole_thenTheyMayReadAndTakeAccessAwayButChangeNothingElse() {
        SignedUp owner = signUp();
        SignedUp member = signUpMemberOf(owner, "developer");
        IssuedKey key = issueApiKey(owner, "usage:read");
        String orgPath = "/v1/orgs/" + owner.orgId();
        platformAdmin().post("/v1/admin/orgs/" + owner.orgId() + "/suspend", Map.of("reason", "review"));
        try {
            for (String read : List.of(orgPath, orgPath + "/members", orgPath + "/api-keys",
                    orgPath + "/audit-events", orgPath + "/credentials", "/v1/me")) {
                assertThat(owner.client().get(read).status()).as("GET %s", read).isEqualTo(200);
            }
            assertThat(owner.client().get(orgPath + "/audit-events", "Accept", "text/csv").status()).isEqualTo(200);

            for (ApiClient.Response refused : List.of(
                    owner.client().post(orgPath + "/api-keys", Map.of("name", "new", "scopes", List.of("usage:read"))),
                    owner.client().post(orgPath + "/api-keys/" + key.id() + "/rotate", Map.of("grace_seconds", 0)),
                    owner.client().patch(orgPath, Map.of("name", "Renamed while suspended")),
                    owner.client().post(orgPath + "/members", Map.of("email", randomEmail(), "role", "viewer")),
                    owner.client().patch(orgPath + "/members/" + member.userId(), Map.of("role", "viewer")),
                    owner.client().post(orgPath + "/credentials", Map.of("provider", "openai", "label", "x",
                            "secret", Map.of("api_key", "sk-test-" + UUID.randomUUID()))),
                    owner.client().delete(orgPath))) {
                assertThatProblem(refused).hasStatus(403).hasType("/problems/org-suspended");
                assertThat(refused.json().get("detail").asString()).contains("suspended");
            }

            assertThat(owner.client().delete(orgPath + "/api-keys/" + key.id()).status())
                    .as("revoking a key").isEqualTo(204);
            assertThat(owner.client().delete(orgPath + "/members/" + member.userId()).status())
                    .as("removing a member").isEqualTo(204);
            assertThat(owner.client().get(orgPath + "/audit-events?outcome=denied").json().get("items")
                    .valueStream().map(event -> event.get("details").get("reason").asString()).toList())
                    .hasSize(7).containsOnly("organization_suspended");
        } finally {
            platformAdmin().post("/v1/admin/orgs/" + owner.orgId() + "/resume", null);
        }
        assertThat(owner.client().post(orgPath + "/api-keys", Map.of("name", "after", "scopes",
                List.of("usage:read"))).status()).as("after resumption").isEqualTo(201);
    }

    @Test
    void givenSignedInPlatformAdmin_whenTheFlagIsRevokedOrGrantedInTheDatabase_thenItCountsWithinOneSecondWithoutSigningInAgain()
            throws SQLException {
        SignedUp user = signUp();
        ApiClient admin = PlatformAdmins.promote(user.client(), user.userId(), user.email(), user.password());
        assertThat(admin.get("/v1/admin/orgs?limit=1").status()).isEqualTo(200);

        setPlatformAdmin(user.userId(), false);
        long revokedAt = System.nanoTime();

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> admin.get("/v1/admin/orgs?limit=1").status() == 404);
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(1));
        assertThatProblem(admin.post("/v1/admin/orgs/" + target.orgId() + "/suspend", Map.of("reason", "x")))
                .hasStatus(404);
        assertThat(admin.get("/v1/me").json().get("user").get("platform_admin").asBoolean()).isFalse();

        setPlatformAdmin(user.userId(), true);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> admin.get("/v1/admin/orgs?limit=1").status() == 200);
    }

    private static void setPlatformAdmin(UUID userId, boolean platformAdmin) throws SQLException {
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE users SET platform_admin = ? WHERE id = ?")) {
            update.setBoolean(1, platformAdmin);
            update.setObject(2, userId);
            update.executeUpdate();
        }
    }

    private static JsonNode onlyItem(ApiClient.Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.json().get("items")).as("%s", response).hasSize(1);
        return response.json().get("items").get(0);
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
