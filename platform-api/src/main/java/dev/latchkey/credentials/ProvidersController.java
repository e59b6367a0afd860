package dev.latchkey.credentials;

import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.latchkey.kernel.Page;

/**
 * The providers a credential can be stored for and the fields each declares, so that a client
 * (the console) builds its credential forms from the server's own schema instead of a copy.
 */
@RestController
class ProvidersController {

    private final ProviderSettings settings;

    ProvidersController(ProviderSettings settings) {
        this.settings = settings;
    }

    @GetMapping(path = "/v1/providers", produces = MediaType.APPLICATION_JSON_VALUE)
    Page<CredentialSchema.ProviderDescription> list() {
        List<CredentialSchema.ProviderDescription> providers = CredentialSchema.describe(settings);
        return Page.of(providers);
    }
}
