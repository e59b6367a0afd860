package dev.latchkey.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Integration tests of quotas and the ledger: platform admins to set quotas, the billable test
 * endpoint ({@link BillableTestEndpoint}) to spend them, and direct reads of the ledger table.
 */
public abstract class MeteredIntegrationTest extends IntegrationTest {

    /** A new platform admin, signed in. */
    protected ApiClient platformAdmin() {
        SignedUp admin = signUp();
        return PlatformAdmins.promote(client(), admin.userId(), admin.email(), admin.password());
    }

    /** {@code PUT /v1/admin/orgs/{orgId}/quota} that must succeed. */
    protected static ApiClient.Response setQuota(ApiClient admin, UUID orgId, Map<String, Object> body) {
        ApiClient.Response response = admin.put("/v1/admin/orgs/" + orgId + "/quota", body);
        if (response.status() != 200) {
            throw new AssertionError("setting the quota failed: " + response);
        }
        return response;
    }

    /** A quota body: a rate that will not interfere and the given monthly allowance. */
    protected static Map<String, Object> allowance(long allowance) {
        return Map.of("rate", Map.of("limit", 100_000, "window_seconds", 60), "monthly", Map.of("allowance", allowance));
    }

    /** Gives the organization a LiveKit credential, so that {@code POST /v1/tokens} mints without an upstream. */
    protected static void addLiveKitCredential(SignedUp owner) {
        ApiClient.Response created = owner.client().post("/v1/orgs/" + owner.orgId() + "/credentials", Map.of(
                "provider", "livekit", "label", "livekit", "secret", Map.of("api_secret", "quota-test-secret-0123456789"),
                "config", Map.of("api_key", "APIquota", "url", "wss://quota.livekit.cloud")));
        if (created.status() != 201) {
            throw new AssertionError("credential creation failed: " + created);
        }
    }

    /** One real billable request: a LiveKit token from {@code POST /v1/tokens}. */
    protected static ApiClient.Response mintLiveKit(ApiClient app, String endUser) {
        return app.post("/v1/tokens", Map.of("provider", "livekit", "room", "quota", "identity", "participant",
                "end_user", endUser));
    }

    /** One billable request through the test endpoint; {@code body} may be empty (livekit token.mint, 1 unit). */
    protected static ApiClient.Response bill(ApiClient app, Map<String, ?> body, String... headers) {
        return app.post(BillableTestEndpoint.PATH, body, headers);
    }

    protected static Map<String, Object> billable(Object... keysAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            body.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return body;
    }

    /** The organization's billed usage this month, as its quota endpoint reports it. */
    protected static long quotaUsed(SignedUp owner) {
        return owner.client().get("/v1/orgs/" + owner.orgId() + "/quota").json().get("monthly").get("used").asLong();
    }

    /** Rows of the organization in {@code usage_ledger}, read straight from the database. */
    protected static long ledgerRows(UUID orgId) {
        return queryLong("SELECT count(*) FROM usage_ledger WHERE org_id = ?", orgId);
    }

    protected static long queryLong(String sql, Object... parameters) {
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes {@code requests} calls from {@code threads} threads, all released at once, and
     * returns the results in call order.
     */
    protected static <T> List<T> concurrently(int requests, int threads, IntFunction<T> call) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.apply(index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
