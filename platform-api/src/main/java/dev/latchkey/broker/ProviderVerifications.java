package dev.latchkey.broker;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import dev.latchkey.broker.spi.ProviderAdapter;
import dev.latchkey.credentials.CredentialVerifier;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.credentials.Verification;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Provider;

/** Verifies credentials with the adapter of their provider; an unreachable provider is a result too. */
@Component
class ProviderVerifications implements CredentialVerifier {

    private final Map<Provider, ProviderAdapter<?>> adapters;

    ProviderVerifications(List<ProviderAdapter<?>> adapters) {
        this.adapters = adapters.stream().collect(Collectors.toMap(ProviderAdapter::provider, Function.identity()));
    }

    @Override
    public Verification verify(DecryptedCredential credential) {
        try {
            return adapters.get(credential.provider()).verify(credential);
        } catch (LatchkeyException unreachable) {
            return new Verification(false, unreachable.getMessage());
        }
    }
}
