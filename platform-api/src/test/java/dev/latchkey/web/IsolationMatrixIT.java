package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.Reliability;
import dev.latchkey.support.Routes;
import dev.latchkey.support.Routes.Kind;
import dev.latchkey.support.Routes.Route;
import tools.jackson.databind.JsonNode;

/**
 * Every org-scoped, admin, account and broker route of the application, read from its own request
 * mappings (so a new endpoint is in the matrix the day it is added, and one that no rule classifies
 * fails the build), called as every kind of caller who must not get through: no credentials, an
 * expired key, a revoked key, a suspended organization's key, another organization's owner and
 * admin-scoped key, and each lesser role of the organization. The design's answers: 401 without
 * valid credentials, 404 for another organization (the same answer as for an organization that does
 * not exist: no existence oracle), 404 for the admin area to anyone who is no platform admin (it does
 * not show itself), 403 for what a role or a key may not do; never a 2xx, never a 500, errors in
 * OpenAI's shape on its path, and the organization is left exactly as it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IsolationMatrixIT extends IntegrationTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    private List<Route> routes;
    private JsonNode openApi;
    private SignedUp owner;
    /** Path variable values naming the target organization's own resources. */
    private Map<String, String> targetIds;
    private final List<Caller> callers = new ArrayList<>();
    private String snapshotBefore;

    /** Who calls, and what the design says they must get: {@link Caller#expect} per route. */
    private enum Relation {
        UNAUTHENTICATED, SUSPENDED, OTHER_ORG, READ_ONLY_MEMBER, MEMBER
    }

    private record Caller(String name, ApiClient client, Relation relation) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void createTheOrganizationAndEveryCaller() {
        routes = Routes.of(mappings);
        openApi = client().get("/v3/api-docs").json();
        owner = signUp();
        String org = "/v1/orgs/" + owner.orgId();
        SignedUp developer = signUpMemberOf(owner, "developer");
        UUID invitation = invite(owner, randomEmail(), "admin").id();
        UUID key = issueApiKey(owner, "admin").id();
        ApiClient.Response credential = owner.client().post(org + "/credentials", Map.of("provider", "livekit",
                "label", "matrix", "secret", Map.of("api_secret", "matrix-secret-0123456789abcdef"),
                "config", Map.of("api_key", "APImatrix", "url", "wss://matrix.livekit.cloud")));
        assertThat(credential.status()).as("%s", credential).isEqualTo(201);
        targetIds = Map.of("orgId", owner.orgId().toString(), "userId", developer.userId().toString(),
                "invitationId", invitation.toString(), "keyId", key.toString(),
                "id", credential.json().get("id").asString(), "provider", "livekit", "name", "matrix-room");

        ApiClient.Response expiring = owner.client().post(org + "/api-keys", Map.of("name", "expiring",
                "scopes", List.of("admin"), "expires_at", Instant.now().plusSeconds(3).toString()));
        assertThat(expiring.status()).as("%s", expiring).isEqualTo(201);
        IssuedKey revoked = issueApiKey(owner, "admin");
        assertThat(owner.client().delete(org + "/api-keys/" + revoked.id()).status()).isEqualTo(204);
        SignedUp suspended = signUp();
        String suspendedKey = createApiKey(suspended, "admin", "tokens:mint", "rooms:write", "sessions:mint");
        assertThat(platformAdmin().post("/v1/admin/orgs/" + suspended.orgId() + "/suspend",
                Map.of("reason", "isolation matrix")).status()).isEqualTo(200);
        SignedUp other = signUp();

        callers.add(new Caller("no credentials", client(), Relation.UNAUTHENTICATED));
        callers.add(new Caller("a key that is not one", client().bearer("platform_notakey"), Relation.UNAUTHENTICATED));
        callers.add(new Caller("an expired key", client().bearer(expiring.json().get("key").asString()),
                Relation.UNAUTHENTICATED));
        callers.add(new Caller("a revoked key", client().bearer(revoked.key()), Relation.UNAUTHENTICATED));
        callers.add(new Caller("a suspended organization's key", client().bearer(suspendedKey), Relation.SUSPENDED));
        callers.add(new Caller("another organization's owner", other.client(), Relation.OTHER_ORG));
        callers.add(new Caller("another organization's admin key",
                client().bearer(createApiKey(other, "admin", "tokens:mint", "rooms:write", "sessions:mint")),
                Relation.OTHER_ORG));
        callers.add(new Caller("a viewer", signUpMemberOf(owner, "viewer").client(), Relation.READ_ONLY_MEMBER));
        callers.add(new Caller("a billing member", signUpMemberOf(owner, "billing").client(),
                Relation.READ_ONLY_MEMBER));
        callers.add(new Caller("a developer", developer.client(), Relation.MEMBER));
        callers.add(new Caller("an admin", signUpMemberOf(owner, "admin").client(), Relation.MEMBER));
        callers.add(new Caller("an usage:read key", client().bearer(createApiKey(owner, "usage:read")),
                Relation.MEMBER));
        await().atMost(Duration.ofSeconds(10)).until(() -> callers.get(2).client().get(org).status() == 401);
        snapshotBefore = snapshot();
    }

    @Test
    @Order(1)
    void givenTheApplicationsRoutes_whenClassified_thenEachHasAKindAndTheMatrixIsNotEmpty() {
        assertThat(routes).as("routes that no rule of support/Routes classifies: give them a kind")
                .filteredOn(route -> route.kind() == Kind.UNCLASSIFIED).isEmpty();
        assertThat(routes).extracting(Route::kind).contains(Kind.ORG, Kind.ADMIN, Kind.SELF, Kind.BROKER);
        assertThat(routes).as("the OpenAPI document lists every route of the API")
                .filteredOn(route -> route.kind() != Kind.TEST_SUPPORT)
                .allSatisfy(route -> assertThat(openApi.path("paths").path(route.path())
                        .has(route.method().toLowerCase())).as("%s in /v3/api-docs", route).isTrue());
    }

    @TestFactory
    @Order(2)
    Stream<DynamicTest> everyRouteAsEveryCallerWhoMustNotGetThrough() {
        return routes.stream().filter(route -> route.kind() != Kind.PUBLIC && route.kind() != Kind.TEST_SUPPORT
                && route.kind() != Kind.UNCLASSIFIED).map(route -> DynamicTest.dynamicTest(route.toString(), () -> {
                    List<String> wrong = new ArrayList<>();
                    for (Caller caller : callers) {
                        String problem = check(route, caller);
                        if (problem != null) {
                            wrong.add(caller + ": " + problem);
                        }
                    }
                    assertThat(wrong).as("%s", route).isEmpty();
                }));
    }

    @Test
    @Order(3)
    void givenTheWholeMatrixWasCalled_whenTheOwnerLooksAtTheOrganization_thenNothingChanged() {
        assertThat(snapshotBefore).as("the matrix ran first").isNotNull();
        assertThat(snapshot()).isEqualTo(snapshotBefore);
    }

    /** What is wrong with the caller's answer from the route, or null if it is the design's. */
    private String check(Route route, Caller caller) {
        Map<String, String> ids = targetIds;
        Set<Integer> allowed;
        switch (caller.relation()) {
            case UNAUTHENTICATED -> allowed = Set.of(401);
            case SUSPENDED -> allowed = route.kind() == Kind.ADMIN ? Set.of(401, 403, 404) : Set.of(401, 403);
            case OTHER_ORG -> {
                if (route.kind() == Kind.SELF || route.kind() == Kind.BROKER) {
                    return null; // their own account and their own organization's brokering
                }
                allowed = route.kind() == Kind.ADMIN ? Set.of(404) : null;
            }
            case READ_ONLY_MEMBER -> {
                if (route.kind() == Kind.SELF || (route.kind() == Kind.ORG && route.reads())) {
                    return null; // theirs to read; MembersIT and the scope tests say exactly what
                }
                allowed = switch (route.kind()) {
                    case ORG -> Set.of(400, 403);
                    case ADMIN -> Set.of(404);
                    default -> Set.of(401, 403);
                };
            }
            case MEMBER -> {
                if (route.kind() != Kind.ADMIN) {
                    return null; // may do things here: not called, so the organization stays as it is
                }
                allowed = Set.of(404);
            }
            default -> throw new IllegalStateException();
        }
        Reliability.routeIdentityChecked();
        ApiClient.Response response = call(caller.client(), route, route.resolve(ids));
        String shape = shapeProblem(route, response);
        if (shape != null) {
            return shape;
        }
        if (allowed != null) {
            return allowed.contains(response.status()) ? null : "expected one of " + allowed + ", got " + response;
        }
        // Another organization: the same answer as for an organization that does not exist, and a 404
        // whenever the route's answer can depend on the organization at all.
        ApiClient.Response nowhere = call(caller.client(), route,
                route.resolve(Map.of("orgId", UUID.randomUUID().toString())));
        if (response.status() != nowhere.status() || !type(response).equals(type(nowhere))) {
            return "answers " + response + " for the organization but " + nowhere + " for none: an existence oracle";
        }
        if (route.reads() && response.status() != 404) {
            return "expected 404, got " + response;
        }
        return response.status() >= 400 && response.status() < 500 ? null : "expected a refusal, got " + response;
    }

    private ApiClient.Response call(ApiClient client, Route route, String path) {
        String body = Routes.exampleBody(route, openApi);
        if (route.consumes().contains("application/sdp")) {
            return client.send(route.method(), path, "v=0\r\n", "application/sdp");
        }
        return client.send(route.method(), path, body, body == null ? null : "application/json");
    }

    /** A refusal must be a well-formed problem (OpenAI's error shape on its path); never a 500. */
    private static String shapeProblem(Route route, ApiClient.Response response) {
        if (response.status() >= 500) {
            return "a server error: " + response;
        }
        if (response.status() < 400) {
            return "let through: " + response;
        }
        if (response.body().contains("Exception") || response.body().contains("\tat ")) {
            return "internals in the body: " + response;
        }
        if (route.path().startsWith("/openai/")) {
            return response.json().path("error").has("message") ? null : "not OpenAI's error shape: " + response;
        }
        String contentType = String.valueOf(response.contentType());
        return contentType.startsWith("application/problem+json") ? null : "not a problem: " + response;
    }

    private static String type(ApiClient.Response response) {
        return String.valueOf(response.contentType()).contains("json") ? response.json().path("type").asString("") : "";
    }

    /** Everything the owner sees of the organization that a caller could have changed. */
    private String snapshot() {
        String org = "/v1/orgs/" + owner.orgId();
        StringBuilder all = new StringBuilder();
        for (String read : List.of("", "/members", "/invitations", "/api-keys", "/credentials", "/allowed-origins",
                "/webhooks", "/policies/livekit", "/quota", "/managed-access")) {
            all.append(owner.client().get(org + read).body().replaceAll("\"last_used_at\":(null|\"[^\"]*\")", ""))
                    .append('\n');
        }
        return all.toString();
    }
}
