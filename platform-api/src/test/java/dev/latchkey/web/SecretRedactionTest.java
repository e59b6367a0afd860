package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretRedactionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        platform key            | key platform_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJkL5mN7oP used  | platform_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJkL5mN7oP
        OpenAI key              | upstream refused sk-proj-4fGh7JkL0mNp3QrS6tUv9WxY2zA5bC8d with 401        | sk-proj-4fGh7JkL0mNp3QrS6tUv9WxY2zA5bC8d
        OpenAI legacy key       | OPENAI_API_KEY is sk-9a8b7c6d5e4f3g2h1i0jKLMNOPQR                          | sk-9a8b7c6d5e4f3g2h1i0jKLMNOPQR
        session token           | consumed pst_Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1 twice                              | pst_Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1
        bearer header           | Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl | eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl
        lower-case bearer       | authorization=bearer abcdefgh12345678                                        | abcdefgh12345678
        JSON password           | `{"email":"a@example.com","password":"hunter2hunter2"}`                     | hunter2hunter2
        JSON password, spaced   | `{"email": "a@example.com", "password": "correct horse battery staple"}`    | horse battery staple
        query api_key           | GET /v1/models?api_key=abcd1234efgh5678&limit=5                             | abcd1234efgh5678
        api-key header          | api-key: 0123456789abcdef0123456789abcdef                                   | 0123456789abcdef0123456789abcdef
        JSON api_key            | `{"api_key": "4f3c2a1b9d8e7f60a1b2c3d4e5f60718", "model": "x"}`            | 4f3c2a1b9d8e7f60a1b2c3d4e5f60718
        escaped JSON api_key    | `{"message":"body={\\"api_key\\":\\"daily-key-with-words\\"}"}`    | daily-key-with-words
        escaped JSON password   | `payload={\\"password\\": \\"my secret words\\"}`                  | secret words
        fal key, both halves    | X-Luna-Key: Bearer 0b6f1c2e-3d4a-4b5c-8d9e-1e2f3a4b5c6d:9f8e7d6c5b4a39281706f5e4d3c2b1a0 | 0b6f1c2e-3d4a-4b5c-8d9e-1e2f3a4b5c6d:9f8e7d6c5b4a39281706f5e4d3c2b1a0
        fal secret half         | key 0b6f1c2e-3d4a-4b5c-8d9e-1e2f3a4b5c6d:9f8e7d6c5b4a39281706f5e4d3c2b1a0 used | 9f8e7d6c5b4a39281706f5e4d3c2b1a0
        bearer with colons      | Authorization: Bearer id-123:secret-456:more-789                            | secret-456
        Daily key after label   | daily api_key=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 | e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        Daily key in secret     | `{"secret":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}` | e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        bare Azure key          | azure refused 9a8b7c6d5e4f30211a2b3c4d5e6f7081 at 12:00                    | 9a8b7c6d5e4f30211a2b3c4d5e6f7081
        LiveKit secret          | minted with Ufs1DKjYVX9RaexmKBDzkkyjsfYKxFsJ8vEJmsQvpvB for room            | Ufs1DKjYVX9RaexmKBDzkkyjsfYKxFsJ8vEJmsQvpvB
        LiveKit access token    | token eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJBUElrZXkiLCJzdWIiOiJ1c2VyIn0.aGVsbG8gd29ybGQ handed out | eyJpc3MiOiJBUElrZXkiLCJzdWIiOiJ1c2VyIn0
        BYOK header             | X-Provider-Auth: byok-key-0123456789                                       | byok-key-0123456789
        webhook secret          | signing with whsec_Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1Gg0Ff                          | Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1Gg0Ff
        ephemeral Luna key      | `{"value":"eph_9f8e7d6c5b4a3928","expires_at":1}`                        | 9f8e7d6c5b4a3928
        quoted password         | login password="correct horse battery" failed                             | horse battery
        """)
    void givenTextWithSecret_whenRedacted_thenTheSecretIsMasked(String kind, String text, String secret) {
        String redacted = SecretRedaction.redact(text);

        assertThat(redacted).doesNotContain(secret).contains("[REDACTED]");
        for (String word : secret.split(" ")) {
            assertThat(redacted).as("part of the secret").doesNotContain(word);
        }
    }

    @Test
    void givenTextWithSecret_whenRedacted_thenTheRestOfTheLineIsKept() {
        String redacted = SecretRedaction.redact("POST /v1/tokens org=acme key=platform_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4"
                + "zAb7cDe0fGh3iJkL5mN7oP status=200");

        assertThat(redacted).isEqualTo("POST /v1/tokens org=acme key=platform_[REDACTED] status=200");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Started LatchkeyApplication in 4.2 seconds (process running for 5.1)",
        "user 2c9f3e4d-1a2b-4c3d-8e9f-0a1b2c3d4e5f signed in from 203.0.113.7",
        "GET /v1/orgs/7d3e2f10-5b1a-4c7e-8f20-3a4b5c6d7e8f/api-keys 200 in 12 ms",
        "the bearer of this message is trusted",
        "scheduled task-cleanup-of-expired-sessions finished; disk-usage-threshold-reached=false",
        "{\"name\":\"backend\",\"scopes\":[\"tokens:mint\"],\"prefix\":\"platform_\"}",
        "audit row 41 hash 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8 checked",
        "request 7d3e2f10-5b1a-4c7e-8f20-3a4b5c6d7e8f took 3 ms",
        "at dev.latchkey.broker.spi.UpstreamClient.send(UpstreamClient.java:120)",
        "Bearer tokens are checked by the BearerTokenFilter",
        ""})
    void givenOrdinaryText_whenRedacted_thenItIsUntouched(String text) {
        assertThat(SecretRedaction.redact(text)).isEqualTo(text);
    }
}
