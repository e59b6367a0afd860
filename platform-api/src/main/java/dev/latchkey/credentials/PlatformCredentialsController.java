package dev.latchkey.credentials;

import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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

/** {@code /v1/admin/credentials}: the platform's own provider credentials; platform admins only (404 to anyone else). */
@RestController
@RequestMapping(path = "/v1/admin/credentials", produces = MediaType.APPLICATION_JSON_VALUE)
class PlatformCredentialsController {

    private final PlatformCredentialService credentials;

    PlatformCredentialsController(PlatformCredentialService credentials) {
        this.credentials = credentials;
    }

    /** The platform-wide caps of a credential; a missing or null value is no cap. */
    record CapBody(@Min(1) @Max(100_000_000) Integer requestsPerMinute,
            @Min(0) @Max(1_000_000_000_000L) Long requestsPerMonth) {
        PlatformCredentialView.Cap cap() {
            return new PlatformCredentialView.Cap(requestsPerMinute, requestsPerMonth);
        }
    }

    record CreateRequest(@NotBlank String provider, @NotBlank @Size(max = 100) String label,
            @NotNull Map<String, Object> secret, Map<String, Object> config, @Valid CapBody cap) {
        @Override
        public String toString() {
            return "CreateRequest[provider=" + provider + ", label=" + label + ", secret=***]";
        }
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    PlatformCredentialView create(@Valid @RequestBody CreateRequest request) {
        return credentials.create(Caller.currentPlatformAdmin(), new PlatformCredentialService.NewPlatformCredential(
                request.provider(), request.label(), request.secret(), request.config(),
                request.cap() == null ? null : request.cap().cap()));
    }

    @GetMapping
    Page<PlatformCredentialView> list() {
        Caller.currentPlatformAdmin();
        return Page.of(credentials.list());
    }

    @GetMapping("/{id}")
    PlatformCredentialView get(@PathVariable UUID id) {
        Caller.currentPlatformAdmin();
        return credentials.get(id);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        credentials.delete(Caller.currentPlatformAdmin(), id);
        return ResponseEntity.noContent().build();
    }

    @PutMapping(path = "/{id}/secret", consumes = MediaType.APPLICATION_JSON_VALUE)
    PlatformCredentialView rotateSecret(@PathVariable UUID id, @Valid @RequestBody RotateRequest request) {
        return credentials.rotateSecret(Caller.currentPlatformAdmin(), id, request.secret());
    }

    @PutMapping(path = "/{id}/cap", consumes = MediaType.APPLICATION_JSON_VALUE)
    PlatformCredentialView changeCap(@PathVariable UUID id, @Valid @RequestBody CapBody request) {
        return credentials.changeCap(Caller.currentPlatformAdmin(), id, request.cap());
    }

    @PostMapping("/{id}/verify")
    PlatformCredentialService.VerifiedPlatformCredential verify(@PathVariable UUID id) {
        return credentials.verify(Caller.currentPlatformAdmin(), id);
    }

    @PostMapping("/{id}/default")
    PlatformCredentialView makeDefault(@PathVariable UUID id) {
        return credentials.makeDefault(Caller.currentPlatformAdmin(), id);
    }
}
