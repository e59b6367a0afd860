package dev.latchkey.broker;

import java.util.Map;
import java.util.UUID;

import dev.latchkey.support.ApiClient;
import dev.latchkey.support.FakeUpstream;
import dev.latchkey.support.MeteredIntegrationTest;

/** Shared set-up of the broker tests: an organization with a credential for a provider and a minting key. */
abstract class BrokerTest extends MeteredIntegrationTest {

    protected final FakeUpstream upstream = FakeUpstream.get();

    /** An organization ready to broker: its owner, an app client with a tokens:mint key, the credential id, the key. */
    protected record Tenant(SignedUp owner, ApiClient app, UUID credentialId, String appKey) {
        String path(String suffix) {
            return "/v1/orgs/" + owner.orgId() + suffix;
        }
    }

    protected Tenant tenantWith(Map<String, Object> credential) {
        SignedUp owner = signUp();
        ApiClient.Response created = owner.client().post("/v1/orgs/" + owner.orgId() + "/credentials", credential);
        if (created.status() != 201) {
            throw new AssertionError("credential creation failed: " + created);
        }
        String key = createApiKey(owner, "tokens:mint");
        return new Tenant(owner, client().bearer(key), UUID.fromString(created.json().get("id").asString()), key);
    }

    /** Rows of the tenant's organization in the usage ledger. */
    protected static long ledgerRows(Tenant tenant) {
        return ledgerRows(tenant.owner().orgId());
    }

    protected static Map<String, Object> openAiCredential(String apiKey) {
        return Map.of("provider", "openai", "label", "openai", "secret", Map.of("api_key", apiKey));
    }
}
