package dev.latchkey.credentials;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.latchkey.kernel.FieldProblem;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Provider;

/**
 * A provider credential as the broker picks it: its id, provider and config, and its secret
 * still sealed (only {@link CredentialService} can open it). What the credential caches hold:
 * never a plaintext secret. A managed credential is the platform's own: it belongs to no
 * organization ({@code orgId} null), carries the platform-wide caps, and nothing of it but its
 * provider may reach the organization that uses it.
 */
public final class StoredCredential {

    private final UUID id;
    private final UUID orgId;
    private final Provider provider;
    private final Map<String, String> config;
    private final byte[] ciphertext;
    private final boolean managed;
    private final Integer requestsPerMinute;
    private final Long requestsPerMonth;

    StoredCredential(UUID id, UUID orgId, Provider provider, Map<String, String> config, byte[] ciphertext) {
        this(id, orgId, provider, config, ciphertext, false, null, null);
    }

    private StoredCredential(UUID id, UUID orgId, Provider provider, Map<String, String> config, byte[] ciphertext,
            boolean managed, Integer requestsPerMinute, Long requestsPerMonth) {
        this.id = id;
        this.orgId = orgId;
        this.provider = provider;
        this.config = config;
        this.ciphertext = ciphertext;
        this.managed = managed;
        this.requestsPerMinute = requestsPerMinute;
        this.requestsPerMonth = requestsPerMonth;
    }

    /** One of the platform's own credentials, with its platform-wide caps (null: none). */
    static StoredCredential managed(UUID id, Provider provider, Map<String, String> config, byte[] ciphertext,
            Integer requestsPerMinute, Long requestsPerMonth) {
        return new StoredCredential(id, null, provider, config, ciphertext, true, requestsPerMinute, requestsPerMonth);
    }

    public UUID id() {
        return id;
    }

    /** The organization that owns it; null for a managed (platform) credential. */
    public UUID orgId() {
        return orgId;
    }

    public Provider provider() {
        return provider;
    }

    public Map<String, String> config() {
        return config;
    }

    /** Whether this is the platform's credential, brokered for an organization with managed access. */
    public boolean managed() {
        return managed;
    }

    /** The platform-wide cap of a managed credential's requests per minute; null for none. */
    public Integer requestsPerMinute() {
        return requestsPerMinute;
    }

    /** The platform-wide cap of a managed credential's requests per UTC month; null for none. */
    public Long requestsPerMonth() {
        return requestsPerMonth;
    }

    byte[] ciphertext() {
        return ciphertext;
    }

    /**
     * The failure as the organization may see it: for a managed credential, every value of the
     * platform's config (an Azure endpoint or deployment, a host) in its detail and field messages
     * is replaced, so an error tells a tenant nothing about the platform's credential but its
     * provider. Failures of an organization's own credential pass unchanged.
     */
    public RuntimeException concealed(RuntimeException failure) {
        if (!managed || !(failure instanceof LatchkeyException problem)) {
            return failure;
        }
        List<FieldProblem> fields = problem.fieldProblems().stream()
                .map(field -> new FieldProblem(field.field(), conceal(field.message()))).toList();
        return new LatchkeyException(problem.problemType(), conceal(problem.getMessage()), fields, problem.headers());
    }

    private String conceal(String text) {
        if (text == null) {
            return null;
        }
        String concealed = text;
        for (String value : config.values()) {
            if (value != null && value.length() >= 3) {
                concealed = concealed.replace(value, "(managed)");
            }
        }
        return concealed;
    }

    @Override
    public String toString() {
        return "StoredCredential[id=" + id + ", provider=" + provider + (managed ? ", managed" : "") + ", secret=***]";
    }
}
