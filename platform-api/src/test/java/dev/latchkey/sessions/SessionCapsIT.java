package dev.latchkey.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.FakeUpstream;
import dev.latchkey.support.MutableClock;
import dev.latchkey.support.SecondInstance;
import tools.jackson.databind.JsonNode;

class SessionCapsIT extends SessionsTest {

    private static final int CAP_SECONDS = 3;
    /** The tests' scheduler looks every 200 ms (test config/application.yml); the rest is room for a busy machine. */
    private static final Duration LATENESS = Duration.ofMillis(2500);

    private final MutableClock clock = MutableClock.get();

    @Test
    void givenAPolicyCapOfThreeSeconds_whenACallRuns_thenLatchkeyHangsItUpOnTimeAndRecordsWhy() {
        Tenant tenant = cappedTenant();
        UUID call = callId(offer(browser(), mintToken(tenant, "openai")));
        JsonNode started = tenant.app().get("/v1/realtime/calls/" + call).json();
        Instant due = Instant.parse(started.get("started_at").asString()).plusSeconds(CAP_SECONDS);
        assertThat(started.get("max_session_seconds").asInt()).isEqualTo(CAP_SECONDS);
        assertThat(Instant.parse(started.get("hangup_due_at").asString())).isEqualTo(due);
        String hangupPath = OPENAI_CALLS + "/" + started.get("provider_call_id").asString() + "/hangup";
        assertThat(upstream.count("POST", hangupPath)).as("not before the cap").isZero();

        clock.advance(Duration.ofSeconds(CAP_SECONDS));

        JsonNode ended = awaitEnded(tenant.app(), call);
        assertThat(Instant.parse(ended.get("ended_at").asString())).isBetween(due, due.plus(LATENESS));
        FakeUpstream.Recorded hangup = upstream.last("POST", hangupPath);
        assertThat(hangup.header("Authorization")).isEqualTo("Bearer " + OPENAI_KEY);
        assertThat(upstream.isLive(started.get("provider_call_id").asString())).isFalse();
        assertThat(ended.get("end_reason").asString()).isEqualTo("max_session_seconds");
        assertThat(ended.get("hangup_due_at").isNull()).isTrue();
        assertThat(upstream.count("POST", hangupPath)).as("hung up exactly once").isEqualTo(1);
    }

    @Test
    void givenTheInstanceThatProxiedACallStopped_whenTheCapIsDue_thenTheRemainingInstanceHangsItUp() {
        Tenant tenant = cappedTenant();
        String token = mintToken(tenant, "openai");
        UUID call;
        Instant stopped;
        // A long check interval keeps the second instance's own scheduler idle until it stops,
        // so the hang-up the provider sees can only come from this (the main) instance.
        try (SecondInstance second = SecondInstance.start(Map.of("latchkey.sessions.cap-check-interval", "1h"))) {
            ApiClient.Response answer = offer(second.client().withoutCsrf(), token);
            assertThat(answer.status()).as("%s", answer).isEqualTo(201);
            call = callId(answer);
        } finally {
            stopped = Instant.now();
        }
        JsonNode started = tenant.app().get("/v1/realtime/calls/" + call).json();
        Instant due = Instant.parse(started.get("started_at").asString()).plusSeconds(CAP_SECONDS);
        String hangupPath = OPENAI_CALLS + "/" + started.get("provider_call_id").asString() + "/hangup";

        clock.advance(Duration.ofSeconds(CAP_SECONDS));

        JsonNode ended = awaitEnded(tenant.app(), call);
        assertThat(ended.get("end_reason").asString()).isEqualTo("max_session_seconds");
        assertThat(Instant.parse(ended.get("ended_at").asString())).isAfterOrEqualTo(due);
        assertThat(upstream.last("POST", hangupPath).receivedAt()).as("by the remaining instance").isAfter(stopped);
    }

    @Test
    void givenTheProviderFailsTheHangUp_whenTheCapIsDue_thenLatchkeyRetriesUntilTheCallEnds() {
        Tenant tenant = cappedTenant();
        UUID call = callId(offer(browser(), mintToken(tenant, "openai")));
        JsonNode started = tenant.app().get("/v1/realtime/calls/" + call).json();
        String hangupPath = OPENAI_CALLS + "/" + started.get("provider_call_id").asString() + "/hangup";
        FakeUpstream.Stub failure = FakeUpstream.Stub.status(503,
                "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");
        upstream.next("POST", hangupPath, failure);
        upstream.next("POST", hangupPath, failure);

        // The cap, then the doubling delays between attempts (2 s, 4 s), a second of the application's time at a time.
        JsonNode ended = awaitEnded(tenant.app(), call, Duration.ofSeconds(1));

        assertThat(ended.get("end_reason").asString()).isEqualTo("max_session_seconds");
        assertThat(upstream.count("POST", hangupPath)).as("two failed attempts, then the one that ended it")
                .isEqualTo(3);
        assertThat(upstream.isLive(started.get("provider_call_id").asString())).isFalse();
    }

    private Tenant cappedTenant() {
        Tenant tenant = openAiTenant();
        ApiClient.Response policy = tenant.owner().client().put(tenant.path("/policies/openai"),
                Map.of("max_session_seconds", CAP_SECONDS));
        assertThat(policy.status()).as("%s", policy).isEqualTo(200);
        return tenant;
    }

    private JsonNode awaitEnded(ApiClient app, UUID call) {
        return awaitEnded(app, call, Duration.ZERO);
    }

    /** Waits until the call has ended, moving the application's clock by {@code step} at each look. */
    private JsonNode awaitEnded(ApiClient app, UUID call, Duration step) {
        JsonNode[] view = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            clock.advance(step);
            view[0] = app.get("/v1/realtime/calls/" + call).json();
            return !view[0].get("end_reason").isNull();
        });
        return view[0];
    }
}
