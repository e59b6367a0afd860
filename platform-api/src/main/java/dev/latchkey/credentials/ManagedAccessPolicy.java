package dev.latchkey.credentials;

import java.util.UUID;

import dev.latchkey.kernel.Provider;

/**
 * Whether an organization may broker through the platform's managed credential of a provider:
 * from its plan, or switched on by a platform admin. Answered from a cache on the request path.
 * Implemented where plans live ({@code quota}), so that this capability does not depend on it.
 */
public interface ManagedAccessPolicy {

    boolean allows(UUID orgId, Provider provider);
}
