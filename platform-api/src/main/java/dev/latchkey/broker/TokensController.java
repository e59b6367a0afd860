package dev.latchkey.broker;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.broker.azure.AzureOpenAiTokenRequest;
import dev.latchkey.broker.daily.DailyTokenRequest;
import dev.latchkey.broker.livekit.LiveKitTokenRequest;
import dev.latchkey.broker.luna.LunaTokenRequest;
import dev.latchkey.broker.openai.OpenAiTokenRequest;
import dev.latchkey.kernel.Caller;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@RestController
class TokensController {

    private final TokenBroker broker;
    private final JsonMapper json;

    TokensController(TokenBroker broker, JsonMapper json) {
        this.broker = broker;
        this.json = json;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TokenResponse(UUID id, String provider, String token, Instant expiresAt, String url, JsonNode session) {
        @Override
        public String toString() {
            return "TokenResponse[id=" + id + ", provider=" + provider + ", token=***]";
        }
    }

    /** The body is read as its {@code provider}'s record ({@link TokenBroker#read}); the document lists the five. */
    @PostMapping(path = "/v1/tokens", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(oneOf = {OpenAiTokenRequest.class,
                    AzureOpenAiTokenRequest.class, LunaTokenRequest.class, LiveKitTokenRequest.class,
                    DailyTokenRequest.class})))
    ResponseEntity<TokenResponse> mint(@RequestBody JsonNode body,
            @RequestHeader(name = "X-Credential-Id", required = false) String credentialId,
            @RequestHeader(name = "X-Provider-Auth", required = false) String providerAuth,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            HttpServletRequest http) {
        Caller caller = Caller.current();
        TokenRequest request = broker.read(caller, body);
        TokenBroker.Brokered brokered = broker.mint(caller, request, credentialId,
                Optional.ofNullable(providerAuth),
                TokenBroker.Idempotency.of(idempotencyKey, "POST /v1/tokens", () -> json.writeValueAsString(request),
                        credentialId, broker.ownKeyHash(providerAuth)));
        TokenBroker.MintResult result = brokered.result();
        MintedToken token = result.token();
        return ResponseEntity.ok()
                .headers(headers -> brokered.headers().forEach(headers::set))
                .header("Server-Timing", ServerTiming.header(http))
                .header("Cache-Control", "no-store")
                .body(new TokenResponse(result.id(), result.provider().id(), token.token(), token.expiresAt(),
                        token.url(), token.session()));
    }
}
