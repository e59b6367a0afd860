package dev.latchkey.audit;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * The review side of the audit log: an organization's own log for its owners and admins, every
 * organization's for platform admins; filters, cursor pages, CSV export.
 */
class AuditReviewIT extends IntegrationTest {

    @Test
    void givenEventsInTwoOrganizations_whenOwnerListsTheirAuditLog_thenOnlyTheirOwnOrganizationsEventsAppear() {
        SignedUp owner = signUp();
        SignedUp other = signUp();
        IssuedKey ownKey = issueApiKey(owner, "usage:read");
        IssuedKey otherKey = issueApiKey(other, "usage:read");
        other.client().delete("/v1/orgs/" + other.orgId() + "/api-keys/" + otherKey.id());

        List<JsonNode> events = allPages(owner.client(), auditOf(owner.orgId()) + "?limit=3");

        assertThat(events).isNotEmpty()
                .allSatisfy(event -> assertThat(event.get("org_id").asString()).isEqualTo(owner.orgId().toString()));
        assertThat(events).extracting(event -> event.get("target_id").asString(""))
                .contains(ownKey.id().toString(), owner.orgId().toString())
                .doesNotContain(otherKey.id().toString(), other.orgId().toString());
        assertThat(owner.client().get(auditOf(owner.orgId()) + "?target_id=" + otherKey.id()).json().get("items"))
                .isEmpty();
    }

    @Test
    void givenAnotherOrganizationsUserOrKey_whenReadingThisOrganizationsAuditLog_thenNotFoundInJsonAndCsv() {
        SignedUp owner = signUp();
        SignedUp attacker = signUp();
        ApiClient attackerKey = client().bearer(createApiKey(attacker, "admin"));

        for (ApiClient caller : List.of(attacker.client(), attackerKey)) {
            assertThatProblem(caller.get(auditOf(owner.orgId()))).hasStatus(404).hasType("/problems/not-found");
            ApiClient.Response csv = caller.get(auditOf(owner.orgId()), "Accept", "text/csv");
            assertThatProblem(csv).hasStatus(404).hasType("/problems/not-found");
            assertThat(csv.body()).doesNotContain(owner.orgId() + ",");
        }
    }

    @Test
    void givenMembersAndKeys_whenReadingTheAuditLog_thenOwnersAdminsAndAdminKeysMayDevelopersAndUsageKeysMayNot() {
        SignedUp owner = signUp();
        SignedUp admin = signUpMemberOf(owner, "admin");
        SignedUp developer = signUpMemberOf(owner, "developer");
        String path = auditOf(owner.orgId());

        assertThat(owner.client().get(path).status()).isEqualTo(200);
        assertThat(admin.client().get(path).status()).isEqualTo(200);
        assertThat(client().bearer(createApiKey(owner, "admin")).get(path).status()).isEqualTo(200);
        assertThatProblem(developer.client().get(path)).hasStatus(403).hasType("/problems/forbidden");
        assertThatProblem(client().bearer(createApiKey(owner, "usage:read")).get(path)).hasStatus(403)
                .hasType("/problems/forbidden");
    }

    @Test
    void givenVariousEvents_whenFilteringByActionOrActionPrefix_thenExactlyThoseActionsAreReturned() {
        SignedUp owner = signUp();
        IssuedKey key = issueApiKey(owner, "usage:read");
        owner.client().post("/v1/orgs/" + owner.orgId() + "/api-keys/" + key.id() + "/rotate",
                Map.of("grace_seconds", 0));
        owner.client().patch("/v1/orgs/" + owner.orgId(), Map.of("name", "Renamed"));

        assertThat(actions(owner, "?action=api_key.created")).containsExactly("api_key.created");
        assertThat(actions(owner, "?action=api_key.*")).containsExactly("api_key.rotated", "api_key.created");
        assertThat(actions(owner, "?action=organization.renamed")).containsExactly("organization.renamed");
        assertThat(actions(owner, "?action=nothing.like.this")).isEmpty();
    }

    @Test
    void givenTwoMembersActing_whenFilteringByActor_thenOnlyThatActorsEventsAreReturned() {
        SignedUp owner = signUp();
        SignedUp admin = signUpMemberOf(owner, "admin");
        issueApiKey(owner, "usage:read");
        admin.client().post("/v1/orgs/" + owner.orgId() + "/api-keys",
                Map.of("name", "by admin", "scopes", List.of("usage:read")));

        List<JsonNode> byAdmin = allPages(owner.client(), auditOf(owner.orgId()) + "?actor=" + admin.userId());

        assertThat(byAdmin).extracting(event -> event.get("action").asString())
                .containsExactly("api_key.created", "membership.invitation_accepted");
        assertThat(byAdmin).allSatisfy(event -> {
            assertThat(event.get("actor_id").asString()).isEqualTo(admin.userId().toString());
            assertThat(event.get("actor_type").asString()).isEqualTo("user");
        });
        assertThat(allPages(owner.client(), auditOf(owner.orgId()) + "?actor_type=user&actor=" + owner.userId()))
                .extracting(event -> event.get("action").asString())
                .contains("api_key.created", "membership.invited", "organization.created");
    }

    @Test
    void givenARefusedAction_whenFilteringByOutcome_thenTheDenialIsFoundAndOnlyIt() {
        SignedUp owner = signUp();
        SignedUp developer = signUpMemberOf(owner, "developer");
        assertThat(developer.client().post("/v1/orgs/" + owner.orgId() + "/members",
                Map.of("email", randomEmail(), "role", "viewer")).status()).isEqualTo(403);

        List<JsonNode> denied = allPages(owner.client(), auditOf(owner.orgId()) + "?outcome=denied");

        assertThat(denied).hasSize(1);
        assertThat(denied.get(0).get("action").asString()).isEqualTo("access.denied");
        assertThat(denied.get(0).get("actor_id").asString()).isEqualTo(developer.userId().toString());
        assertThat(denied.get(0).get("details").get("permission").asString()).isEqualTo("members_manage");
        assertThat(allPages(owner.client(), auditOf(owner.orgId()) + "?outcome=success"))
                .allSatisfy(event -> assertThat(event.get("outcome").asString()).isEqualTo("success"));
    }

    @Test
    void givenEventsOnTwoKeys_whenFilteringByTarget_thenOnlyThatKeysEventsAreReturned() {
        SignedUp owner = signUp();
        IssuedKey first = issueApiKey(owner, "usage:read");
        IssuedKey second = issueApiKey(owner, "usage:read");
        owner.client().delete("/v1/orgs/" + owner.orgId() + "/api-keys/" + first.id());
        owner.client().delete("/v1/orgs/" + owner.orgId() + "/api-keys/" + second.id());

        List<JsonNode> events = allPages(owner.client(),
                auditOf(owner.orgId()) + "?target_type=api_key&target_id=" + first.id());

        assertThat(events).extracting(event -> event.get("action").asString())
                .containsExactly("api_key.revoked", "api_key.created");
        assertThat(events).allSatisfy(event -> assertThat(event.get("target_id").asString())
                .isEqualTo(first.id().toString()));
    }

    @Test
    void givenEventsOverTime_whenFilteringByTimeRange_thenFromIsInclusiveAndToExclusive() {
        SignedUp owner = signUp();
        for (int i = 0; i < 4; i++) {
            owner.client().patch("/v1/orgs/" + owner.orgId(), Map.of("name", "Name " + i));
        }
        List<JsonNode> renames = allPages(owner.client(), auditOf(owner.orgId()) + "?action=organization.renamed"
                + "&order=asc");
        assertThat(renames).hasSize(4);
        Instant from = Instant.parse(renames.get(1).get("occurred_at").asString());
        Instant to = Instant.parse(renames.get(3).get("occurred_at").asString());

        List<JsonNode> inRange = allPages(owner.client(), auditOf(owner.orgId())
                + "?action=organization.renamed&order=asc&from=" + from + "&to=" + to);

        List<String> expected = renames.stream()
                .filter(event -> {
                    Instant at = Instant.parse(event.get("occurred_at").asString());
                    return !at.isBefore(from) && at.isBefore(to);
                })
                .map(event -> event.get("id").asString())
                .toList();
        assertThat(inRange).extracting(event -> event.get("id").asString()).isEqualTo(expected)
                .contains(renames.get(1).get("id").asString())
                .doesNotContain(renames.get(0).get("id").asString(), renames.get(3).get("id").asString());
    }

    @ParameterizedTest(name = "order={0}")
    @ValueSource(strings = {"desc", "asc"})
    void givenEventsBeingWrittenWhilePaging_whenWalkingEveryPage_thenEachEventIsReturnedExactlyOnce(String order)
            throws InterruptedException {
        SignedUp owner = signUp();
        // Renaming is the console's (organization settings are never changed with an API key).
        ApiClient writer = owner.client();
        String orgPath = "/v1/orgs/" + owner.orgId();
        for (int i = 0; i < 25; i++) {
            assertThat(writer.patch(orgPath, Map.of("name", "Before " + i)).status()).isEqualTo(200);
        }
        Set<String> writtenBefore = ids(allPages(owner.client(), auditOf(owner.orgId())
                + "?action=organization.renamed&limit=200"));
        assertThat(writtenBefore).hasSize(25);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger writtenDuring = new AtomicInteger();
        Thread concurrentWriter = new Thread(() -> {
            while (writing.get() && writtenDuring.get() < 40) {
                if (writer.patch(orgPath, Map.of("name", "During " + writtenDuring.get())).status() == 200) {
                    writtenDuring.incrementAndGet();
                }
            }
        });
        concurrentWriter.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> writtenDuring.get() > 0);
        List<JsonNode> walked;
        try {
            walked = allPages(owner.client(), auditOf(owner.orgId())
                    + "?action=organization.renamed&limit=4&order=" + order);
        } finally {
            writing.set(false);
            concurrentWriter.join();
        }

        assertThat(writtenDuring.get()).as("events written while paging").isPositive();
        List<String> walkedIds = walked.stream().map(event -> event.get("id").asString()).toList();
        assertThat(walkedIds).doesNotHaveDuplicates().containsAll(writtenBefore);
        assertThat(walked).allSatisfy(event ->
                assertThat(event.get("action").asString()).isEqualTo("organization.renamed"));
        // Events the linker has not appended yet have no seq: first in a newest-first walk, last in an oldest-first one.
        List<Boolean> linked = walked.stream().map(event -> event.get("linked").asBoolean()).toList();
        assertThat(linked).isSortedAccordingTo(order.equals("asc") ? (a, b) -> Boolean.compare(b, a) : Boolean::compare);
        List<Long> seqs = walked.stream().filter(event -> event.get("linked").asBoolean())
                .map(event -> event.get("seq").asLong()).toList();
        assertThat(seqs).isSortedAccordingTo(order.equals("asc") ? Long::compare : (a, b) -> Long.compare(b, a));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "outcome, maybe, outcome",
        "from, yesterday, from",
        "actor_id, someone, actor_id",
        "cursor, bm9wZQ, cursor",
        "limit, 0, limit",
        "limit, 201, limit",
        "limit, many, limit",
    })
    void givenInvalidParameter_whenListing_thenBadRequestNamingIt(String name, String value, String field) {
        SignedUp owner = signUp();

        assertThatProblem(owner.client().get(auditOf(owner.orgId()) + "?" + name + "=" + value)).hasStatus(400)
                .hasType("/problems/validation").namesField(field);
    }

    @Test
    void givenEvents_whenExportedAsCsv_thenEveryMatchingEventIsOneRfc4180RecordInTheListingsOrder() {
        SignedUp owner = signUp();
        String orgPath = "/v1/orgs/" + owner.orgId();
        owner.client().patch(orgPath, Map.of("name", "Acme, \"the\" company\nsecond line"));
        owner.client().patch(orgPath, Map.of("name", "Plain"), "User-Agent", "=HYPERLINK(\"http://evil\")");
        for (int i = 0; i < 5; i++) {
            issueApiKey(owner, "usage:read");
        }
        List<JsonNode> listed = allPages(owner.client(), auditOf(owner.orgId()) + "?limit=2");

        ApiClient.Response export = owner.client().get(auditOf(owner.orgId()) + "?limit=2", "Accept", "text/csv");

        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).startsWith("text/csv");
        assertThat(export.header("Content-Disposition")).startsWith("attachment;").contains(".csv");
        List<List<String>> records = parseCsv(export.body());
        assertThat(records.get(0)).containsExactly("seq", "id", "occurred_at", "org_id", "actor_type", "actor_id",
                "action", "target_type", "target_id", "outcome", "ip", "user_agent", "request_id", "details");
        List<List<String>> rows = records.subList(1, records.size());
        assertThat(rows).extracting(row -> row.get(1))
                .containsExactlyElementsOf(listed.stream().map(event -> event.get("id").asString()).toList());
        assertThat(rows).allSatisfy(row -> assertThat(row).hasSize(14));
        List<String> renamedTo = rows.stream().filter(row -> row.get(6).equals("organization.renamed"))
                .map(row -> row.get(13)).toList();
        assertThat(renamedTo).anySatisfy(details -> assertThat(details)
                .contains("Acme, \\\"the\\\" company\\nsecond line"));
        assertThat(rows).extracting(row -> row.get(11)).contains("'=HYPERLINK(\"http://evil\")");
    }

    @Test
    void givenFilters_whenExportedAsCsv_thenOnlyMatchingEventsAreExported() {
        SignedUp owner = signUp();
        issueApiKey(owner, "usage:read");
        owner.client().patch("/v1/orgs/" + owner.orgId(), Map.of("name", "Renamed"));

        List<List<String>> records = parseCsv(owner.client().get(auditOf(owner.orgId())
                + "?action=organization.renamed", "Accept", "text/csv").body());

        assertThat(records).hasSize(2);
        assertThat(records.get(1).get(6)).isEqualTo("organization.renamed");
    }

    @Test
    void givenPlatformAdmin_whenReadingEveryOrganizationsLog_thenBothOrganizationsAppearAndTheOrgFilterNarrows() {
        SignedUp first = signUp();
        SignedUp second = signUp();
        IssuedKey firstKey = issueApiKey(first, "usage:read");
        IssuedKey secondKey = issueApiKey(second, "usage:read");

        JsonNode all = platformAdmin().get("/v1/admin/audit-events?action=api_key.created&limit=200").json();
        JsonNode narrowed = platformAdmin().get("/v1/admin/audit-events?org_id=" + first.orgId()).json();

        assertThat(ids(all.get("items").valueStream().toList()))
                .isNotEmpty();
        assertThat(all.get("items").valueStream().map(event -> event.get("target_id").asString()).toList())
                .contains(firstKey.id().toString(), secondKey.id().toString());
        assertThat(narrowed.get("items").valueStream().toList()).isNotEmpty().allSatisfy(event ->
                assertThat(event.get("org_id").asString()).isEqualTo(first.orgId().toString()));
    }

    @Test
    void givenPlatformAdminReadsAnOrganizationsLog_whenItsOwnerReviewsTheirLog_thenTheReadIsOnRecord() {
        SignedUp owner = signUp();
        UUID adminId = UUID.fromString(platformAdmin().get("/v1/me").json().get("user").get("id").asString());

        assertThat(platformAdmin().get("/v1/admin/audit-events?org_id=" + owner.orgId() + "&outcome=success")
                .status()).isEqualTo(200);
        assertThat(platformAdmin().get("/v1/admin/audit-events?org_id=" + owner.orgId(), "Accept", "text/csv")
                .status()).isEqualTo(200);

        List<JsonNode> reads = allPages(owner.client(), auditOf(owner.orgId()) + "?action=admin.audit_events_read");
        assertThat(reads).hasSize(2).allSatisfy(read -> {
            assertThat(read.get("actor_id").asString()).isEqualTo(adminId.toString());
            assertThat(read.get("details").get("org_id").asString()).isEqualTo(owner.orgId().toString());
        });
        assertThat(reads).extracting(read -> read.get("details").get("format").asString())
                .containsExactly("csv", "json");
        assertThat(reads.get(1).get("details").get("outcome").asString()).isEqualTo("success");
    }

    @Test
    void givenPlatformAdminReadingAcrossOrganizations_whenReadingWithoutAnOrgFilter_thenTheReadIsRecordedToo() {
        UUID adminId = UUID.fromString(platformAdmin().get("/v1/me").json().get("user").get("id").asString());
        String action = "organization.created";

        assertThat(platformAdmin().get("/v1/admin/audit-events?action=" + action).status()).isEqualTo(200);

        JsonNode latestRead = platformAdmin().get("/v1/admin/audit-events?action=admin.audit_events_read&actor="
                + adminId + "&limit=2").json().get("items").get(1);
        assertThat(latestRead.get("details").get("action").asString()).isEqualTo(action);
        assertThat(latestRead.get("org_id").isNull()).isTrue();
    }

    private static String auditOf(UUID orgId) {
        return "/v1/orgs/" + orgId + "/audit-events";
    }

    private static List<String> actions(SignedUp owner, String query) {
        return allPages(owner.client(), auditOf(owner.orgId()) + query).stream()
                .map(event -> event.get("action").asString()).toList();
    }

    private static Set<String> ids(List<JsonNode> events) {
        Set<String> ids = new HashSet<>();
        events.forEach(event -> ids.add(event.get("id").asString()));
        return ids;
    }

    /** Follows next_cursor to the end, as a client would. */
    static List<JsonNode> allPages(ApiClient client, String path) {
        List<JsonNode> events = new ArrayList<>();
        String cursor = null;
        do {
            String page = cursor == null ? path
                    : path + (path.contains("?") ? "&" : "?") + "cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
            ApiClient.Response response = client.get(page);
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            JsonNode body = response.json();
            body.get("items").forEach(events::add);
            cursor = body.get("next_cursor").isNull() ? null : body.get("next_cursor").asString();
        } while (cursor != null);
        return events;
    }

    /** An RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                i++;
            } else {
                assertThat(c).as("bare line break outside quotes at %d", i).isNotIn('\r', '\n');
                field.append(c);
            }
        }
        assertThat(field.toString()).as("text after the last CRLF").isEmpty();
        assertThat(record).as("unterminated record").isEmpty();
        return records;
    }
}
