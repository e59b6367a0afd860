package dev.latchkey.credentials;

/**
 * Checks a credential against its live provider. Implemented where the providers' wire formats
 * live (the broker), so that this capability does not depend on it.
 */
public interface CredentialVerifier {

    Verification verify(DecryptedCredential credential);
}
