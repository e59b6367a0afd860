package dev.latchkey.sessions;

import static dev.latchkey.support.ProblemAssert.assertThatProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.latchkey.support.ApiClient;
import tools.jackson.databind.JsonNode;

class RealtimeCallsIT extends SessionsTest {

    @Test
    void givenARunningCall_whenTheAppHangsUp_thenTheProviderIsToldWithTheStoredKeyAndTheCallIsRecordedAsEnded() {
        Tenant tenant = openAiTenant();
        UUID call = callId(offer(browser(), mintToken(tenant, "openai")));
        String providerCallId = tenant.app().get("/v1/realtime/calls/" + call).json().get("provider_call_id").asString();
        String hangupPath = OPENAI_CALLS + "/" + providerCallId + "/hangup";
        assertThat(upstream.isLive(providerCallId)).isTrue();

        ApiClient.Response ended = tenant.app().post("/v1/realtime/calls/" + call + "/hangup", Map.of());

        assertThat(ended.status()).as("%s", ended).isEqualTo(200);
        assertThat(ended.json().get("end_reason").asString()).isEqualTo("hangup");
        assertThat(ended.json().get("ended_at").isNull()).isFalse();
        assertThat(upstream.count("POST", hangupPath)).isEqualTo(1);
        assertThat(upstream.last("POST", hangupPath).header("Authorization")).isEqualTo("Bearer " + OPENAI_KEY);
        assertThat(upstream.isLive(providerCallId)).isFalse();

        ApiClient.Response again = tenant.app().post("/v1/realtime/calls/" + call + "/hangup", Map.of());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("ended_at").asString()).isEqualTo(ended.json().get("ended_at").asString());
        assertThat(upstream.count("POST", hangupPath)).as("an ended call is not hung up twice").isEqualTo(1);
    }

    @Test
    void givenACallTheProviderAlreadyEnded_whenTheAppHangsUp_thenItIsRecordedAsAlreadyEnded() {
        Tenant tenant = openAiTenant();
        UUID call = callId(offer(browser(), mintToken(tenant, "openai")));
        String providerCallId = tenant.app().get("/v1/realtime/calls/" + call).json().get("provider_call_id").asString();
        upstream.next("POST", OPENAI_CALLS + "/" + providerCallId + "/hangup", dev.latchkey.support.FakeUpstream.Stub
                .status(404, "{\"error\":{\"message\":\"gone\",\"type\":\"invalid_request_error\",\"code\":\"call_not_found\"}}"));

        ApiClient.Response ended = tenant.app().post("/v1/realtime/calls/" + call + "/hangup", Map.of());

        assertThat(ended.status()).isEqualTo(200);
        assertThat(ended.json().get("end_reason").asString()).isEqualTo("already_ended");
    }

    @Test
    void givenCallsOfTwoOrganizations_whenEachReadsAndHangsUp_thenEachSeesOnlyItsOwn() {
        Tenant tenant = openAiTenant();
        Tenant other = openAiTenant();
        UUID call = callId(offer(browser(), mintToken(tenant, "openai")));
        ApiClient reader = client().bearer(createApiKey(tenant.owner(), "usage:read"));

        assertThatProblem(other.app().get("/v1/realtime/calls/" + call)).hasStatus(404);
        assertThatProblem(other.app().post("/v1/realtime/calls/" + call + "/hangup", Map.of())).hasStatus(404);
        assertThatProblem(other.owner().client().get(tenant.path("/calls"))).hasStatus(404);
        assertThat(reader.get("/v1/realtime/calls/" + call).status()).isEqualTo(200);
        assertThatProblem(reader.post("/v1/realtime/calls/" + call + "/hangup", Map.of())).hasStatus(403);
        assertThatProblem(tenant.app().post("/v1/realtime/calls/" + UUID.randomUUID() + "/hangup", Map.of()))
                .hasStatus(404);
        assertThat(tenant.app().get("/v1/realtime/calls/" + call).json().get("ended_at").isNull()).isTrue();
    }

    @Test
    void givenSeveralCalls_whenListed_thenNewestFirstAPageAtATime() {
        Tenant tenant = openAiTenant();
        List<String> started = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            started.add(0, callId(offer(browser(), mint(tenant.app(), Map.of("provider", "openai",
                    "end_user", "user-" + i)).get("token").asString())).toString());
        }

        JsonNode first = tenant.owner().client().get(tenant.path("/calls?limit=2")).json();
        JsonNode second = tenant.owner().client().get(tenant.path("/calls?limit=2&cursor="
                + first.get("next_cursor").asString())).json();

        List<String> listed = new ArrayList<>();
        first.get("items").forEach(item -> listed.add(item.get("id").asString()));
        second.get("items").forEach(item -> listed.add(item.get("id").asString()));
        assertThat(listed).containsExactlyElementsOf(started);
        assertThat(second.get("next_cursor").isNull()).isTrue();
        JsonNode newest = first.get("items").get(0);
        assertThat(newest.get("end_user").asString()).isEqualTo("user-2");
        assertThat(newest.get("provider").asString()).isEqualTo("openai");
        assertThat(newest.get("started_at").asString()).isNotBlank();
        assertThatProblem(tenant.owner().client().get(tenant.path("/calls?cursor=nonsense")))
                .hasStatus(400).namesField("cursor");
    }
}
