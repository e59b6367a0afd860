package dev.latchkey.apikeys;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.Page;

@RestController
@RequestMapping(path = "/v1/orgs/{orgId}/api-keys", produces = MediaType.APPLICATION_JSON_VALUE)
class ApiKeysController {

    private final ApiKeyService apiKeys;

    ApiKeysController(ApiKeyService apiKeys) {
        this.apiKeys = apiKeys;
    }

    record CreateRequest(
            @NotBlank @Size(max = 100) String name,
            @NotEmpty @Size(max = 10) Set<@NotBlank String> scopes,
            Instant expiresAt,
            @Min(1) @Max(1_000_000) Integer rateLimitPerMinute) {
    }

    record RotateRequest(@NotNull @Min(0) @Max(604_800) Long graceSeconds) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    CreatedApiKey create(@PathVariable UUID orgId, @Valid @RequestBody CreateRequest request) {
        return apiKeys.create(Caller.current(), orgId, new ApiKeyService.NewApiKey(request.name(), request.scopes(),
                request.expiresAt(), request.rateLimitPerMinute()));
    }

    @GetMapping
    Page<ApiKeyView> list(@PathVariable UUID orgId, @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "50") int limit) {
        return apiKeys.list(Caller.current(), orgId, cursor, limit);
    }

    @GetMapping("/{keyId}")
    ApiKeyView get(@PathVariable UUID orgId, @PathVariable UUID keyId) {
        return apiKeys.get(Caller.current(), orgId, keyId);
    }

    @DeleteMapping("/{keyId}")
    ResponseEntity<Void> revoke(@PathVariable UUID orgId, @PathVariable UUID keyId) {
        apiKeys.revoke(Caller.current(), orgId, keyId);
        return ResponseEntity.noContent().build();
    }

    @PostMapping(path = "/{keyId}/rotate", consumes = MediaType.APPLICATION_JSON_VALUE)
    CreatedApiKey rotate(@PathVariable UUID orgId, @PathVariable UUID keyId, @Valid @RequestBody RotateRequest request) {
        return apiKeys.rotate(Caller.current(), orgId, keyId, Duration.ofSeconds(request.graceSeconds()));
    }
}
