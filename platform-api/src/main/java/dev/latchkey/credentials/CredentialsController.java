package dev.latchkey.credentials;

import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.Page;

@RestController
@RequestMapping(path = "/v1/orgs/{orgId}/credentials", produces = MediaType.APPLICATION_JSON_VALUE)
class CredentialsController {

    private final CredentialService credentials;

    CredentialsController(CredentialService credentials) {
        this.credentials = credentials;
    }

    record CreateRequest(@NotBlank String provider, @NotBlank @Size(max = 100) String label,
            @NotNull Map<String, Object> secret, Map<String, Object> config) {
        @Override
        public String toString() {
            return "CreateRequest[provider=" + provider + ", label=" + label + ", secret=***]";
        }
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    CredentialView create(@PathVariable UUID orgId, @Valid @RequestBody CreateRequest request) {
        return credentials.create(Caller.current(), orgId, new CredentialService.NewCredential(request.provider(),
                request.label(), request.secret(), request.config()));
    }

    @GetMapping
    Page<CredentialView> list(@PathVariable UUID orgId) {
        return Page.of(credentials.list(Caller.current(), orgId));
    }

    @GetMapping("/{id}")
    CredentialView get(@PathVariable UUID orgId, @PathVariable UUID id) {
        return credentials.get(Caller.current(), orgId, id);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID orgId, @PathVariable UUID id) {
        credentials.delete(Caller.current(), orgId, id);
        return ResponseEntity.noContent().build();
    }

    @PutMapping(path = "/{id}/secret", consumes = MediaType.APPLICATION_JSON_VALUE)
    CredentialView rotateSecret(@PathVariable UUID orgId, @PathVariable UUID id,
            @Valid @RequestBody RotateRequest request) {
        return credentials.rotateSecret(Caller.current(), orgId, id, request.secret());
    }

    @PostMapping("/{id}/verify")
    CredentialService.VerifiedCredential verify(@PathVariable UUID orgId, @PathVariable UUID id) {
        return credentials.verify(Caller.current(), orgId, id);
    }

    @PostMapping("/{id}/default")
    CredentialView makeDefault(@PathVariable UUID orgId, @PathVariable UUID id) {
        return credentials.makeDefault(Caller.current(), orgId, id);
    }
}
