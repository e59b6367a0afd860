package dev.latchkey.broker.openai;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.broker.TokenBroker;
import dev.latchkey.kernel.Caller;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's own {@code POST /v1/realtime/client_secrets}, at {@code /openai/v1/...}: the official
 * OpenAI SDKs work against Latchkey with {@code baseURL = https://<host>/openai/v1} and a platform
 * key as their API key. Same brokering, policy and billing as {@code POST /v1/tokens}; errors in
 * OpenAI's shape, which the SDKs read.
 */
@RestController
class OpenAiCompatibleController {

    private final TokenBroker broker;
    private final JsonMapper json;

    OpenAiCompatibleController(TokenBroker broker, JsonMapper json) {
        this.broker = broker;
        this.json = json;
    }

    record ExpiresAfter(@Pattern(regexp = "created_at", message = "must be created_at") String anchor,
            Integer seconds) {
    }

    record ClientSecretRequest(@Valid ExpiresAfter expiresAfter, ObjectNode session) {
    }

    @PostMapping(path = "/openai/v1/realtime/client_secrets", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> create(@Valid @RequestBody ClientSecretRequest body,
            @RequestHeader(name = "X-Credential-Id", required = false) String credentialId,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            HttpServletRequest http) {
        // A body is required (an empty one is {}): a literal null is malformed, refused before any credential
        // is looked up. Errors on this path are in OpenAI's shape (web/internal/OpenAiErrorShapeFilter).
        OpenAiTokenRequest request = OpenAiTokenRequest.of(body.session(),
                body.expiresAfter() == null ? null : body.expiresAfter().seconds());
        TokenBroker.Brokered brokered = broker.mint(Caller.current(), request, credentialId,
                Optional.empty(), TokenBroker.Idempotency.of(idempotencyKey, "POST /openai/v1/realtime/client_secrets",
                        () -> json.writeValueAsString(request), credentialId, null));
        TokenBroker.MintResult result = brokered.result();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("value", result.token().token());
        answer.put("expires_at", result.token().expiresAt().getEpochSecond());
        if (result.token().session() != null) {
            answer.put("session", result.token().session());
        }
        return ResponseEntity.ok().headers(headers -> brokered.headers().forEach(headers::set))
                .header("Cache-Control", "no-store").body(answer);
    }
}
