package dev.latchkey.ledger;

import java.util.UUID;

import dev.latchkey.credentials.CredentialService;
import dev.latchkey.credentials.DecryptedCredential;
import dev.latchkey.credentials.StoredCredential;
import dev.latchkey.quota.ManagedCap;

/**
 * The provider credential a billable request will use, as the metering path needs it: which one
 * (for the ledger and the count of uses), whose (the price), and how to open it, which the path
 * does only once the request has passed its limits and taken its allowance.
 */
public interface BillableCredential {

    /** The stored credential's id; null for a key the caller brought ({@code X-Provider-Auth}). */
    UUID credentialId();

    CredentialSource source();

    /** Decrypts the credential for this one request; the metering path counts the use in its commit. */
    DecryptedCredential open();

    /** The platform-wide caps a managed credential's use is subject to; null for any other credential. */
    default ManagedCap managedCap() {
        return null;
    }

    /**
     * A stored credential, opened from its cached ciphertext: the organization's own ({@code own}),
     * or the platform's that it brokers through with managed access ({@code managed}: billed at the
     * managed price and held to the credential's platform-wide caps).
     */
    static BillableCredential stored(StoredCredential stored, CredentialService credentials) {
        ManagedCap cap = stored.managed() ? new ManagedCap(stored.id(), stored.provider().id(),
                stored.requestsPerMinute(), stored.requestsPerMonth()) : null;
        return new BillableCredential() {
            @Override
            public UUID credentialId() {
                return stored.id();
            }

            @Override
            public CredentialSource source() {
                return stored.managed() ? CredentialSource.MANAGED : CredentialSource.OWN;
            }

            @Override
            public DecryptedCredential open() {
                return credentials.decryptForBilledUse(stored);
            }

            @Override
            public ManagedCap managedCap() {
                return cap;
            }
        };
    }

    /** A key the caller brought with the request: used once, never stored. */
    static BillableCredential broughtByCaller(DecryptedCredential credential) {
        return new BillableCredential() {
            @Override
            public UUID credentialId() {
                return null;
            }

            @Override
            public CredentialSource source() {
                return CredentialSource.BYOK;
            }

            @Override
            public DecryptedCredential open() {
                return credential;
            }
        };
    }
}
