package dev.latchkey.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    @Test
    void givenSecretTimestampAndBody_whenSigned_thenTheHeaderMatchesAnHmacComputedByOpenssl() {
        // printf '1700000000.{"id":"e1"}' | openssl dgst -sha256 -hmac "whsec_test-secret"
        String header = WebhookSignature.header("whsec_test-secret", 1_700_000_000L,
                "{\"id\":\"e1\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(header).isEqualTo("t=1700000000,v1=5c86517cdf95c9151fb87e6ae2244d43320071e85bb31f497e8be435f4e56932");
    }

    @Test
    void givenAnotherTimestamp_whenSigned_thenTheSignatureDiffers() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        assertThat(WebhookSignature.hmac("whsec_x", 1, body)).isNotEqualTo(WebhookSignature.hmac("whsec_x", 2, body));
    }
}
