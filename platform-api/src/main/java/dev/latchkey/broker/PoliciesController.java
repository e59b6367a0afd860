package dev.latchkey.broker;

import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Provider;

@RestController
@RequestMapping(path = "/v1/orgs/{orgId}/policies/{provider}", produces = MediaType.APPLICATION_JSON_VALUE)
class PoliciesController {

    private final PolicyService policies;

    PoliciesController(PolicyService policies) {
        this.policies = policies;
    }

    @GetMapping
    SessionPolicy get(@PathVariable UUID orgId, @PathVariable String provider) {
        return policies.get(Caller.current(), orgId, provider(provider));
    }

    @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    SessionPolicy put(@PathVariable UUID orgId, @PathVariable String provider, @RequestBody SessionPolicy policy) {
        return policies.put(Caller.current(), orgId, provider(provider), policy);
    }

    private static Provider provider(String id) {
        return Provider.parse(id).orElseThrow(() -> LatchkeyException.notFound("Provider " + id));
    }
}
