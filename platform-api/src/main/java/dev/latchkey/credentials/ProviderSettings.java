package dev.latchkey.credentials;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.latchkey.kernel.Provider;

/**
 * Operator settings per provider ({@code latchkey.providers.<provider>.*}), which may do what
 * tenants cannot: {@code base-url} points a provider at another base URL (an egress proxy, a
 * regional endpoint, a local fake upstream in tests); {@code allowed-hosts} widens the host
 * allow-list of tenant-supplied URLs.
 */
@ConfigurationProperties("latchkey")
public record ProviderSettings(Map<String, Setting> providers) {

    public record Setting(URI baseUrl, List<String> allowedHosts) {
        public Setting {
            // An empty value (e.g. LATCHKEY_PROVIDERS_AZURE_OPENAI_BASE_URL=) means no override.
            baseUrl = baseUrl == null || baseUrl.toString().isBlank() ? null : baseUrl;
            allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        }
    }

    public ProviderSettings {
        providers = providers == null ? Map.of() : Map.copyOf(providers);
    }

    public Optional<URI> baseUrl(Provider provider) {
        return Optional.ofNullable(providers.get(provider.id())).map(Setting::baseUrl);
    }

    public List<String> extraAllowedHosts(Provider provider) {
        return Optional.ofNullable(providers.get(provider.id())).map(Setting::allowedHosts).orElse(List.of());
    }
}
