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
        ""})
    void givenOrdinaryText_whenRedacted_thenItIsUntouched(String text) {
        assertThat(SecretRedaction.redact(text)).isEqualTo(text);
    }
}
