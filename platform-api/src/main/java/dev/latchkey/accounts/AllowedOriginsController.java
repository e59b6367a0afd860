package dev.latchkey.accounts;

import java.util.List;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.kernel.Caller;

@RestController
@RequestMapping(path = "/v1/orgs/{orgId}/allowed-origins", produces = MediaType.APPLICATION_JSON_VALUE)
class AllowedOriginsController {

    private final OrganizationOrigins origins;

    AllowedOriginsController(OrganizationOrigins origins) {
        this.origins = origins;
    }

    record AllowedOriginsBody(List<String> allowedOrigins) {
    }

    @GetMapping
    AllowedOriginsBody get(@PathVariable UUID orgId) {
        return new AllowedOriginsBody(origins.get(Caller.current(), orgId));
    }

    @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    AllowedOriginsBody put(@PathVariable UUID orgId, @RequestBody AllowedOriginsBody body) {
        return new AllowedOriginsBody(origins.put(Caller.current(), orgId, body.allowedOrigins()));
    }
}
