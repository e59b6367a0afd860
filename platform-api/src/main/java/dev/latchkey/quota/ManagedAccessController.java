package dev.latchkey.quota;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.kernel.Caller;

@RestController
class ManagedAccessController {

    private final ManagedAccess managedAccess;

    ManagedAccessController(ManagedAccess managedAccess) {
        this.managedAccess = managedAccess;
    }

    /** The providers a platform admin switches on; PUT replaces them (the plan's stay). */
    record ChangeRequest(@NotNull @Size(max = 10) List<String> providers) {
    }

    @GetMapping(path = "/v1/orgs/{orgId}/managed-access", produces = MediaType.APPLICATION_JSON_VALUE)
    ManagedAccessView get(@PathVariable UUID orgId) {
        return managedAccess.get(Caller.current(), orgId);
    }

    /** Platform admins only; anyone else is told there is nothing here. */
    @GetMapping(path = "/v1/admin/orgs/{orgId}/managed-access", produces = MediaType.APPLICATION_JSON_VALUE)
    ManagedAccessView getAsAdmin(@PathVariable UUID orgId) {
        return managedAccess.getAsAdmin(Caller.currentPlatformAdmin(), orgId);
    }

    @PutMapping(path = "/v1/admin/orgs/{orgId}/managed-access", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ManagedAccessView change(@PathVariable UUID orgId, @Valid @RequestBody ChangeRequest request) {
        return managedAccess.change(Caller.currentPlatformAdmin(), orgId, request.providers());
    }
}
