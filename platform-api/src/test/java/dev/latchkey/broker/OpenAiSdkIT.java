package dev.latchkey.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.realtime.RealtimeSessionCreateRequest;
import com.openai.models.realtime.clientsecrets.ClientSecretCreateParams;
import com.openai.models.realtime.clientsecrets.ClientSecretCreateResponse;

/** The official OpenAI Java SDK, pointed at Latchkey with only its base URL and a platform key. */
class OpenAiSdkIT extends BrokerTest {

    @Test
    void givenOfficialOpenAiSdkWithAPlatformKey_whenCreatingAClientSecret_thenLatchkeyBrokersItFromTheStoredKey() {
        Tenant tenant = tenantWith(openAiCredential("sk-test-openai-sdk-0000000000000000001"));
        String platformKey = createApiKey(tenant.owner(), "tokens:mint");
        OpenAIClient openAi = OpenAIOkHttpClient.builder()
                .apiKey(platformKey)
                .baseUrl("http://127.0.0.1:" + port + "/openai/v1")
                .maxRetries(0)
                .build();

        ClientSecretCreateResponse secret = openAi.realtime().clientSecrets().create(ClientSecretCreateParams.builder()
                .expiresAfter(ClientSecretCreateParams.ExpiresAfter.builder()
                        .anchor(ClientSecretCreateParams.ExpiresAfter.Anchor.CREATED_AT).seconds(300).build())
                .session(RealtimeSessionCreateRequest.builder().model("gpt-realtime").instructions("Be brief").build())
                .build());

        assertThat(secret.value()).startsWith("ek_");
        assertThat(secret.expiresAt()).isGreaterThan(System.currentTimeMillis() / 1000);
        var sent = upstream.last("POST", "/openai/v1/realtime/client_secrets");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-test-openai-sdk-0000000000000000001");
        assertThat(sent.json().get("expires_after").get("seconds").asInt()).isEqualTo(300);
        assertThat(sent.json().get("session").get("instructions").asString()).isEqualTo("Be brief");
    }
}
