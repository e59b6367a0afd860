package dev.latchkey.credentials;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Provider;

/**
 * What each provider's credential consists of: which fields are secret (write-only, encrypted)
 * and which are config (stored and shown), and how each is validated. The one place that
 * knows the shape of a provider's credential.
 */
final class CredentialSchema {

    static final int MAX_SECRET_LENGTH = 4096;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern SECRET = Pattern.compile("[\\x21-\\x7e]+");

    /** One field: required or not, what it is (which says how its value is checked), and how to show it. */
    private record Field(String name, String label, boolean required, Kind kind, String example) {
    }

    /** The kinds of field value; each checks and normalizes a value its own way. */
    private enum Kind {
        SECRET(CredentialSchema::secret), NAME(CredentialSchema::name), HTTPS_URL(CredentialSchema::httpsHost),
        REALTIME_URL(CredentialSchema::liveKitHost), SUBDOMAIN(CredentialSchema::dailyDomain);

        private final Validator validator;

        Kind(Validator validator) {
            this.validator = validator;
        }

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @FunctionalInterface
    private interface Validator {
        String validate(String field, String value, ProviderSettings settings, Provider provider, HostGuard hosts);
    }

    private record Shape(String displayName, List<Field> secret, List<Field> config, List<String> defaultHosts) {
    }

    private static final Map<Provider, Shape> SHAPES = Map.of(
            Provider.OPENAI, new Shape("OpenAI",
                    List.of(new Field("api_key", "API key", true, Kind.SECRET, "sk-...")),
                    List.of(new Field("organization", "Organization ID", false, Kind.NAME, "org-..."),
                            new Field("project", "Project ID", false, Kind.NAME, "proj_...")),
                    List.of()),
            Provider.AZURE_OPENAI, new Shape("Azure OpenAI",
                    List.of(new Field("api_key", "API key", true, Kind.SECRET, null)),
                    List.of(new Field("endpoint", "Endpoint", true, Kind.HTTPS_URL,
                                    "https://my-resource.openai.azure.com"),
                            new Field("deployment", "Deployment", true, Kind.NAME, "gpt-realtime")),
                    List.of("*.openai.azure.com", "*.cognitiveservices.azure.com")),
            Provider.LUNA, new Shape("Luna",
                    List.of(new Field("api_key", "API key", true, Kind.SECRET, null)),
                    List.of(new Field("base_url", "Base URL", false, Kind.HTTPS_URL, "https://fal.run")),
                    List.of("fal.run", "*.fal.run")),
            Provider.LIVEKIT, new Shape("LiveKit",
                    List.of(new Field("api_secret", "API secret", true, Kind.SECRET, null)),
                    List.of(new Field("api_key", "API key", true, Kind.NAME, "APIxxxxxxxx"),
                            new Field("url", "Server URL", true, Kind.REALTIME_URL, "wss://my-project.livekit.cloud")),
                    List.of("*.livekit.cloud")),
            Provider.DAILY, new Shape("Daily",
                    List.of(new Field("api_key", "API key", true, Kind.SECRET, null)),
                    List.of(new Field("domain", "Domain", false, Kind.SUBDOMAIN, "acme")),
                    List.of()));

    /** What a client needs to build a credential form: the fields, without how they are checked. */
    record ProviderDescription(String id, String name, List<FieldDescription> secret, List<FieldDescription> config,
            List<String> allowedHosts) {
    }

    /** {@code kind}: secret, name, https_url, realtime_url (wss or https) or subdomain. */
    record FieldDescription(String name, String label, boolean required, String kind, String example) {
    }

    static List<ProviderDescription> describe(ProviderSettings settings) {
        return java.util.Arrays.stream(Provider.values()).map(provider -> {
            Shape shape = SHAPES.get(provider);
            return new ProviderDescription(provider.id(), shape.displayName(), describe(shape.secret()),
                    describe(shape.config()), allowedHosts(provider, settings));
        }).toList();
    }

    private static List<FieldDescription> describe(List<Field> fields) {
        return fields.stream().map(field -> new FieldDescription(field.name(), field.label(), field.required(),
                field.kind().wireName(), field.example())).toList();
    }

    private CredentialSchema() {
    }

    /** The secret field whose last four characters identify the credential in listings. */
    static String primarySecretField(Provider provider) {
        return SHAPES.get(provider).secret().get(0).name();
    }

    static Map<String, String> validateSecret(Provider provider, Map<String, Object> secret,
            ProviderSettings settings, HostGuard hosts) {
        return validate(provider, "secret", SHAPES.get(provider).secret(), secret, settings, hosts);
    }

    static Map<String, String> validateConfig(Provider provider, Map<String, Object> config,
            ProviderSettings settings, HostGuard hosts) {
        return validate(provider, "config", SHAPES.get(provider).config(), config, settings, hosts);
    }

    static List<String> allowedHosts(Provider provider, ProviderSettings settings) {
        List<String> hosts = new java.util.ArrayList<>(SHAPES.get(provider).defaultHosts());
        hosts.addAll(settings.extraAllowedHosts(provider));
        return hosts;
    }

    private static Map<String, String> validate(Provider provider, String group, List<Field> fields,
            Map<String, Object> values, ProviderSettings settings, HostGuard hosts) {
        Map<String, Object> given = values == null ? Map.of() : values;
        for (String name : given.keySet()) {
            if (fields.stream().noneMatch(f -> f.name().equals(name))) {
                throw LatchkeyException.invalidField(group + "." + name, "is not a field of a " + provider
                        + " credential; expected " + fields.stream().map(Field::name).toList());
            }
        }
        Map<String, String> valid = new LinkedHashMap<>();
        for (Field field : fields) {
            String path = group + "." + field.name();
            Object value = given.get(field.name());
            if (value == null) {
                if (field.required()) {
                    throw LatchkeyException.invalidField(path, "is required for a " + provider + " credential");
                }
                continue;
            }
            if (!(value instanceof String text)) {
                throw LatchkeyException.invalidField(path, "must be a string");
            }
            valid.put(field.name(), field.kind().validator.validate(path, text, settings, provider, hosts));
        }
        return valid;
    }

    private static String secret(String field, String value, ProviderSettings settings, Provider provider,
            HostGuard hosts) {
        if (value.length() > MAX_SECRET_LENGTH) {
            throw LatchkeyException.invalidField(field, "must be at most " + MAX_SECRET_LENGTH + " characters");
        }
        if (value.length() < 8 || !SECRET.matcher(value).matches()) {
            throw LatchkeyException.invalidField(field, "must be at least 8 printable characters without spaces");
        }
        return value;
    }

    private static String name(String field, String value, ProviderSettings settings, Provider provider,
            HostGuard hosts) {
        if (!NAME.matcher(value).matches()) {
            throw LatchkeyException.invalidField(field, "must be 1 to 128 letters, digits, '.', '_' or '-'");
        }
        return value;
    }

    private static String httpsHost(String field, String value, ProviderSettings settings, Provider provider,
            HostGuard hosts) {
        return hosts.validate(field, value, Set.of("https"), allowedHosts(provider, settings));
    }

    private static String liveKitHost(String field, String value, ProviderSettings settings, Provider provider,
            HostGuard hosts) {
        return hosts.validate(field, value, Set.of("wss", "https"), allowedHosts(provider, settings));
    }

    private static String dailyDomain(String field, String value, ProviderSettings settings, Provider provider,
            HostGuard hosts) {
        if (!value.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw LatchkeyException.invalidField(field, "must be your Daily subdomain, e.g. 'acme' for acme.daily.co");
        }
        return value;
    }
}
