package dev.latchkey.broker.openai;

import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.broker.MintRequest;
import dev.latchkey.broker.TokenBroker;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's own {@code POST /v1/realtime/client_secrets}, at {@code /openai/v1/...}: the official
 * OpenAI SDKs work against Latchkey with {@code baseURL = https://<host>/openai/v1} and a platform
 * key as their API key. Same brokering, policy and billing as {@code POST /v1/tokens}.
 */
@RestController
class OpenAiCompatibleController {

    private final TokenBroker broker;
    private final JsonMapper json;

    OpenAiCompatibleController(TokenBroker broker, JsonMapper json) {
        this.broker = broker;
        this.json = json;
    }

    record ExpiresAfter(String anchor, Integer seconds) {
    }

    record ClientSecretRequest(ExpiresAfter expiresAfter, JsonNode session) {
    }

    @PostMapping(path = "/openai/v1/realtime/client_secrets", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> create(@RequestBody(required = false) ClientSecretRequest request,
            @RequestHeader(name = "X-Credential-Id", required = false) String credentialId,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            HttpServletRequest http) {
        ClientSecretRequest body = request == null ? new ClientSecretRequest(null, null) : request;
        if (body.expiresAfter() != null && body.expiresAfter().anchor() != null
                && !"created_at".equals(body.expiresAfter().anchor())) {
            throw LatchkeyException.invalidField("expires_after.anchor", "must be created_at");
        }
        Integer ttl = body.expiresAfter() == null ? null : body.expiresAfter().seconds();
        MintRequest mint = new MintRequest("openai", body.session(), ttl, null, null, null, null, null, null, null,
                null, null, null);
        TokenBroker.Brokered brokered = broker.mint(Caller.current(), mint, credentialId,
                Optional.empty(), TokenBroker.Idempotency.of(idempotencyKey, "POST /openai/v1/realtime/client_secrets",
                        () -> json.writeValueAsString(mint), credentialId, null));
        TokenBroker.MintResult result = brokered.result();
        Map<String, Object> answer = new java.util.LinkedHashMap<>();
        answer.put("value", result.token().token());
        answer.put("expires_at", result.token().expiresAt().getEpochSecond());
        if (result.token().session() != null) {
            answer.put("session", result.token().session());
        }
        return ResponseEntity.ok().headers(headers -> brokered.headers().forEach(headers::set))
                .header("Cache-Control", "no-store").body(answer);
    }

    /**
     * Errors in OpenAI's shape, {@code {"error": {"message", "type", "param", "code"}}}, because
     * the SDKs read that one; this path only.
     */
    @ExceptionHandler(LatchkeyException.class)
    ResponseEntity<Map<String, Object>> openAiError(LatchkeyException exception) {
        Map<String, Object> error = new java.util.LinkedHashMap<>();
        error.put("message", exception.getMessage());
        error.put("type", exception.problemType().status() >= 500 ? "server_error" : "invalid_request_error");
        error.put("param", exception.fieldProblems().isEmpty() ? null : exception.fieldProblems().get(0).field());
        String type = exception.problemType().type();
        error.put("code", type.substring(type.lastIndexOf('/') + 1));
        return ResponseEntity.status(exception.problemType().status()).headers(headers -> exception.headers()
                .forEach(headers::set)).body(Map.of("error", error));
    }
}
