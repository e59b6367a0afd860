package dev.latchkey.ledger;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.BillableTestEndpoint;
import dev.latchkey.support.MeteredIntegrationTest;
import dev.latchkey.support.TestInfrastructure;

import tools.jackson.databind.JsonNode;

class LedgerIT extends MeteredIntegrationTest {

    @Test
    void givenALedgerRow_whenUpdatedDeletedOrTruncatedInTheDatabase_thenPostgresRefuses() throws SQLException {
        SignedUp owner = signUp();
        assertThat(bill(client().bearer(createApiKey(owner, "tokens:mint")), billable()).status()).isEqualTo(200);

        try (Connection connection = TestInfrastructure.get().connect(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate(
                    "UPDATE usage_ledger SET quantity = 2, amount_micros = 2 * unit_price_micros WHERE org_id = '"
                            + owner.orgId() + "'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> statement.executeUpdate(
                    "DELETE FROM usage_ledger WHERE org_id = '" + owner.orgId() + "'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> statement.executeUpdate("TRUNCATE usage_ledger"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        }
        assertThat(ledgerRows(owner.orgId())).isEqualTo(1);
    }

    @Test
    void givenIdempotencyKey_whenTheSameRequestIsRetried_thenTheFirstResultIsReturnedAndBilledOnce() throws SQLException {
        SignedUp owner = signUp();
        ApiClient app = client().bearer(createApiKey(owner, "tokens:mint"));
        String endUser = "retrying-" + UUID.randomUUID();
        Map<String, Object> body = billable("end_user", endUser);

        ApiClient.Response first = bill(app, body, "Idempotency-Key", "order-42");
        ApiClient.Response retry = bill(app, body, "Idempotency-Key", "order-42");

        assertThat(first.status()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().get("token").asString()).isEqualTo(first.json().get("token").asString());
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(BillableTestEndpoint.upstreamCallsFor(endUser)).as("the upstream is called once").isEqualTo(1);
        assertThat(ledgerRows(owner.orgId())).isEqualTo(1);
        assertThat(quotaUsed(owner)).isEqualTo(1);
        assertThat(everyRowOfUsageTables()).as("the stored first result is encrypted")
                .doesNotContain(first.json().get("token").asString());

        ApiClient.Response otherKey = bill(app, body, "Idempotency-Key", "order-43");
        assertThat(otherKey.json().get("token").asString()).isNotEqualTo(first.json().get("token").asString());
        assertThat(ledgerRows(owner.orgId())).isEqualTo(2);
    }

    @Test
    void givenIdempotencyKey_whenTenCopiesOfARequestArriveAtOnce_thenOneIsBilledAndTheOthersGetItsResultOrAreToldToRetry() {
        SignedUp owner = signUp();
        ApiClient app = client().bearer(createApiKey(owner, "tokens:mint"));
        Map<String, Object> body = billable("end_user", "impatient-" + UUID.randomUUID());

        List<ApiClient.Response> responses = concurrently(10, 10, i -> bill(app, body, "Idempotency-Key", "burst-1"));

        List<ApiClient.Response> succeeded = responses.stream().filter(r -> r.status() == 200).toList();
        assertThat(succeeded).isNotEmpty();
        assertThat(succeeded).extracting(r -> r.json().get("token").asString()).containsOnly(
                succeeded.get(0).json().get("token").asString());
        assertThat(responses).filteredOn(r -> r.status() != 200).allSatisfy(r -> {
            assertThatProblem(r).hasStatus(409).hasType("/problems/idempotency-key-in-use");
            assertThat(r.header("Retry-After")).isEqualTo("1");
        });
        assertThat(ledgerRows(owner.orgId())).isEqualTo(1);
    }

    @Test
    void givenIdempotencyKey_whenReusedWithADifferentBody_thenItIsA422AndNothingIsBilled() {
        SignedUp owner = signUp();
        ApiClient app = client().bearer(createApiKey(owner, "tokens:mint"));
        assertThat(bill(app, billable("end_user", "a"), "Idempotency-Key", "k-1").status()).isEqualTo(200);

        ApiClient.Response reused = bill(app, billable("end_user", "b"), "Idempotency-Key", "k-1");

        assertThatProblem(reused).hasStatus(422).hasType("/problems/idempotency-key-reused");
        assertThat(ledgerRows(owner.orgId())).isEqualTo(1);
    }

    @Test
    void givenTheUpstreamFails_whenMinting_thenNoLedgerRowIsWrittenAndTheAllowanceIsGivenBack() {
        SignedUp owner = signUp();
        ApiClient app = client().bearer(createApiKey(owner, "tokens:mint"));
        setQuota(platformAdmin(), owner.orgId(), allowance(1));

        ApiClient.Response failed = bill(app, billable("fail_upstream", true), "Idempotency-Key", "try-1");

        assertThatProblem(failed).hasStatus(502).hasType("/problems/upstream-failed");
        assertThat(ledgerRows(owner.orgId())).isZero();
        assertThat(quotaUsed(owner)).isZero();
        assertThat(queryLong("SELECT coalesce(sum(used), 0) FROM allowance_leases WHERE org_id = ?", owner.orgId()))
                .isZero();
        ApiClient.Response afterwards = bill(app, billable(), "Idempotency-Key", "try-2");
        assertThat(afterwards.status()).as("the one allowed event is still there").isEqualTo(200);
        assertThat(ledgerRows(owner.orgId())).isEqualTo(1);
        assertThatProblem(bill(app, billable())).hasStatus(429).hasType("/problems/quota-exceeded");
    }

    @Test
    void givenAnUpstreamProviderFails_whenMinting_thenItsLeasedAllowanceIsGivenBackAtOnce() {
        SignedUp owner = signUp();
        ApiClient app = client().bearer(createApiKey(owner, "tokens:mint"));
        setQuota(platformAdmin(), owner.orgId(), allowance(1));

        ApiClient.Response failed = bill(app, billable("provider", "openai", "fail_upstream", true));

        assertThatProblem(failed).hasStatus(502).hasType("/problems/upstream-failed");
        assertThat(ledgerRows(owner.orgId())).isZero();
        assertThat(quotaUsed(owner)).isZero();
        assertThat(bill(app, billable("provider", "openai")).status())
                .as("the one allowed event is still there, at once").isEqualTo(200);
        assertThat(ledgerRows(owner.orgId())).isEqualTo(1);
        assertThatProblem(bill(app, billable("provider", "openai"))).hasStatus(429).hasType("/problems/quota-exceeded");
    }

    @Test
    void givenMixedUsage_whenReadingUsageLedgerAndInvoicePreview_thenEveryFigureAgreesWithTheLedgerRowsToTheMicroUnit()
            throws SQLException {
        SignedUp owner = signUp();
        String operation = "test.odd-price-" + UUID.randomUUID().toString().substring(0, 8);
        addPrice("daily", operation, "managed", 1_234_567, "EUR");
        ApiClient alpha = client().bearer(createApiKey(owner, "tokens:mint"));
        ApiClient beta = client().bearer(createApiKey(owner, "tokens:mint"));
        List<ApiClient.Response> billed = new ArrayList<>();
        billed.add(bill(alpha, billable("provider", "livekit", "end_user", "alice")));
        billed.add(bill(alpha, billable("provider", "openai", "operation", "call.proxy", "credential_source", "byok",
                "quantity", 3, "end_user", "bob")));
        billed.add(bill(beta, billable("provider", "daily", "operation", "room.create", "credential_source", "managed")));
        billed.add(bill(beta, billable("provider", "daily", "operation", operation, "credential_source", "managed",
                "quantity", 7, "end_user", "alice")));
        billed.add(bill(beta, billable("provider", "daily", "operation", operation, "credential_source", "managed",
                "end_user", "=cmd|' /C calc'!A0")));
        assertThat(billed).extracting(ApiClient.Response::status).containsOnly(200);
        UUID reversed = UUID.fromString(latestEntry(owner).get("id").asString());
        ApiClient.Response reversal = platformAdmin().post("/v1/admin/orgs/" + owner.orgId() + "/ledger/" + reversed
                + "/reversal", Map.of("reason", "test correction"));
        assertThat(reversal.status()).isEqualTo(201);
        assertThat(reversal.json().get("quantity").asLong()).isEqualTo(-1);

        Map<String, Long> expected = sumsFromTheDatabase(owner.orgId());
        assertThat(expected).as("8 at the odd EUR price, one of them reversed; USD from the seeded price book")
                .containsEntry("EUR", 7 * 1_234_567L).containsEntry("USD", 500L + 3 * 1000 + 10_000);
        String orgPath = "/v1/orgs/" + owner.orgId();
        for (String groupBy : List.of("day", "provider", "api_key", "end_user", "operation", "credential_source")) {
            JsonNode usage = owner.client().get(orgPath + "/usage?group_by=" + groupBy).json();
            assertThat(sumByCurrency(usage.get("items"))).as("usage by %s", groupBy).isEqualTo(expected);
            assertThat(sumByCurrency(usage.get("totals"))).as("usage totals").isEqualTo(expected);
        }
        JsonNode byEndUser = owner.client().get(orgPath + "/usage?group_by=end_user").json();
        assertThat(byEndUser.get("items")).anySatisfy(row -> {
            assertThat(row.get("key").asString()).isEqualTo("alice");
            assertThat(row.get("currency").asString()).isEqualTo("EUR");
            assertThat(row.get("events").asLong()).isEqualTo(1);
            assertThat(row.get("quantity").asLong()).isEqualTo(7);
            assertThat(row.get("amount_micros").asLong()).isEqualTo(7 * 1_234_567L);
        });
        JsonNode invoice = owner.client().get(orgPath + "/invoice-preview?period="
                + YearMonth.now(ZoneOffset.UTC)).json();
        assertThat(sumByCurrency(invoice.get("lines"))).isEqualTo(expected);
        assertThat(sumByCurrency(invoice.get("totals"))).isEqualTo(expected);
        assertThat(invoice.get("lines")).anySatisfy(line -> {
            assertThat(line.get("operation").asString()).isEqualTo(operation);
            assertThat(line.get("unit_price_micros").asLong()).isEqualTo(1_234_567);
            assertThat(line.get("quantity").asLong()).as("8 minus the reversed 1").isEqualTo(7);
        });

        List<JsonNode> entries = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = owner.client().get(orgPath + "/ledger?limit=2" + (cursor == null ? "" : "&cursor=" + cursor))
                    .json();
            page.get("items").forEach(entries::add);
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
        } while (cursor != null);
        assertThat(entries).hasSize(6);
        assertThat(sumByCurrency(entries)).isEqualTo(expected);
        assertThat(entries.get(0).get("kind").asString()).as("newest first").isEqualTo("reversal");
        assertThat(entries.get(1).get("api_key_id").asString()).isNotBlank();
        assertThat(entries).allSatisfy(e -> assertThat(e.get("request_id").asString()).isNotBlank());

        ApiClient.Response csv = owner.client().get(orgPath + "/ledger", "Accept", "text/csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).startsWith("id,occurred_at,kind,");
        assertThat(lines).hasSize(7);
        Map<String, Long> csvSums = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",");
            csvSums.merge(fields[9], Long.parseLong(fields[8]), Long::sum);
        }
        assertThat(csvSums).isEqualTo(expected);
        assertThat(csv.body()).as("formula injection defused").contains("'=cmd|").doesNotContain(",=cmd");
    }

    @Test
    void givenAnOrganizationBilledThisPeriod_whenAPlatformAdminListsOrganizations_thenItsUsageIsTheLedgersFigures() {
        SignedUp owner = signUp();
        ApiClient app = client().bearer(createApiKey(owner, "tokens:mint"));
        assertThat(bill(app, billable()).status()).isEqualTo(200);
        assertThat(bill(app, billable()).status()).isEqualTo(200);

        JsonNode listed = platformAdmin().get("/v1/admin/orgs?q=" + owner.orgId()).json().get("items").get(0);

        JsonNode usage = listed.get("usage");
        JsonNode ownTotals = owner.client().get("/v1/orgs/" + owner.orgId() + "/usage").json().get("totals");
        assertThat(usage.get("period").asString()).isEqualTo(YearMonth.now(ZoneOffset.UTC).toString());
        assertThat(usage.get("totals")).hasSize(1);
        JsonNode total = usage.get("totals").get(0);
        assertThat(total.get("events").asLong()).isEqualTo(2);
        assertThat(total.get("quantity").asLong()).isEqualTo(2);
        assertThat(total.get("amount_micros").asLong()).isPositive()
                .isEqualTo(ownTotals.get(0).get("amount_micros").asLong());
        assertThat(total.get("currency").asString()).isEqualTo(ownTotals.get(0).get("currency").asString());
    }

    @ParameterizedTest(name = "{0} with Accept [{1}]")
    @CsvSource(delimiter = '|', textBlock = """
        ledger       |                                    | application/json
        ledger       | */*                                | application/json
        ledger       | application/json                   | application/json
        ledger       | application/json, text/csv         | application/json
        ledger       | text/csv                           | text/csv
        ledger       | text/*                             | text/csv
        ledger       | text/csv, application/json;q=0.5   | text/csv
        ledger       | application/json;q=0.5, text/csv   | text/csv
        audit-events |                                    | application/json
        audit-events | */*                                | application/json
        audit-events | application/json, text/csv         | application/json
        audit-events | text/csv                           | text/csv
        audit-events | text/*                             | text/csv
        audit-events | application/json;q=0.5, text/csv   | text/csv
        """)
    void givenAnAcceptHeader_whenListingAnExportableList_thenCsvOnlyWhenPreferredAndJsonOtherwise(String list,
            String accept, String expected) {
        SignedUp owner = signUp();
        String path = "/v1/orgs/" + owner.orgId() + "/" + list;

        ApiClient.Response response = accept == null ? owner.client().get(path)
                : owner.client().get(path, "Accept", accept);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith(expected);
    }

    @Test
    void givenAnotherOrganization_whenReadingItsUsageLedgerOrInvoice_thenNothingIsFound() {
        SignedUp owner = signUp();
        SignedUp stranger = signUp();
        String orgPath = "/v1/orgs/" + owner.orgId();

        assertThatProblem(stranger.client().get(orgPath + "/usage")).hasStatus(404);
        assertThatProblem(stranger.client().get(orgPath + "/ledger")).hasStatus(404);
        assertThatProblem(stranger.client().get(orgPath + "/ledger", "Accept", "text/csv")).hasStatus(404);
        assertThatProblem(stranger.client().get(orgPath + "/invoice-preview")).hasStatus(404);
        assertThatProblem(stranger.client().get(orgPath + "/usage-alerts")).hasStatus(404);
        assertThatProblem(client().bearer(createApiKey(stranger, "usage:read")).get(orgPath + "/ledger")).hasStatus(404);
    }

    @Test
    void givenBadReadParameters_whenReading_thenA400NamesTheParameter() {
        SignedUp owner = signUp();
        String orgPath = "/v1/orgs/" + owner.orgId();

        assertThatProblem(owner.client().get(orgPath + "/usage?group_by=colour")).hasStatus(400).namesField("group_by");
        assertThatProblem(owner.client().get(orgPath + "/usage?from=yesterday")).hasStatus(400).namesField("from");
        assertThatProblem(owner.client().get(orgPath + "/usage?from=2026-02-01&to=2026-01-01")).hasStatus(400)
                .namesField("to");
        assertThatProblem(owner.client().get(orgPath + "/invoice-preview?period=2026-13")).hasStatus(400)
                .namesField("period");
        assertThatProblem(owner.client().get(orgPath + "/ledger?cursor=nonsense")).hasStatus(400).namesField("cursor");
    }

    @Test
    void givenPlatformAdmin_whenReadingPlatformUsage_thenEveryOrganizationIsThereAndOthersAreToldNothingIsThere() {
        SignedUp owner = signUp();
        bill(client().bearer(createApiKey(owner, "tokens:mint")), billable());

        JsonNode usage = platformAdmin().get("/v1/admin/usage?group_by=org").json();

        assertThat(usage.get("items")).anySatisfy(row -> assertThat(row.get("key").asString())
                .isEqualTo(owner.orgId().toString()));
        assertThatProblem(owner.client().get("/v1/admin/usage")).hasStatus(404);
    }

    private JsonNode latestEntry(SignedUp owner) {
        return owner.client().get("/v1/orgs/" + owner.orgId() + "/ledger?limit=1").json().get("items").get(0);
    }

    private static Map<String, Long> sumByCurrency(Iterable<JsonNode> rows) {
        Map<String, Long> sums = new HashMap<>();
        rows.forEach(row -> sums.merge(row.get("currency").asString(), row.get("amount_micros").asLong(), Long::sum));
        return sums;
    }

    private static Map<String, Long> sumsFromTheDatabase(UUID orgId) throws SQLException {
        Map<String, Long> sums = new HashMap<>();
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT currency, quantity, unit_price_micros FROM usage_ledger WHERE org_id = ?")) {
            statement.setObject(1, orgId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    sums.merge(rs.getString(1), rs.getLong(2) * rs.getLong(3), Long::sum);
                }
            }
        }
        return sums;
    }

    private static void addPrice(String provider, String operation, String source, long micros, String currency)
            throws SQLException {
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO price_book (id, provider, operation, credential_source, unit_price_micros, currency,
                            effective_from) VALUES (gen_random_uuid(), ?, ?, ?, ?, ?, now() - interval '1 day')""")) {
            insert.setString(1, provider);
            insert.setString(2, operation);
            insert.setString(3, source);
            insert.setLong(4, micros);
            insert.setString(5, currency);
            insert.executeUpdate();
        }
    }

    private static String everyRowOfUsageTables() throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Connection connection = TestInfrastructure.get().connect(); Statement statement = connection.createStatement()) {
            for (String table : List.of("usage_ledger", "idempotency_keys", "allowance_leases", "credential_usage")) {
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
