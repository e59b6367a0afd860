package dev.latchkey.crypto;

import java.util.Base64;

import org.springframework.vault.core.VaultTransitOperations;
import org.springframework.vault.support.Hmac;
import org.springframework.vault.support.Plaintext;
import org.springframework.vault.support.VaultSignatureVerificationRequest;
import org.springframework.vault.support.VaultTransitKey;

/**
 * The {@code vault} key-encryption backend: HashiCorp Vault Transit. The key-encryption key
 * never leaves Vault; data keys travel to it only to be wrapped or unwrapped, and a rewrap
 * happens inside Vault without the data key coming back.
 */
final class VaultTransitKeyEncryption implements KeyEncryption {

    private final VaultTransitOperations transit;
    private final String keyName;

    VaultTransitKeyEncryption(VaultTransitOperations transit, String keyName) {
        this.transit = transit;
        this.keyName = keyName;
        if (transit.getKey(keyName) == null) {
            transit.createKey(keyName);
        }
    }

    @Override
    public String backend() {
        return "vault";
    }

    @Override
    public String currentVersion() {
        VaultTransitKey key = transit.getKey(keyName);
        return Integer.toString(key.getLatestVersion());
    }

    @Override
    public WrappedKey wrap(byte[] dataKey) {
        return wrapped(transit.encrypt(keyName, Base64.getEncoder().encodeToString(dataKey)));
    }

    @Override
    public byte[] unwrap(WrappedKey wrapped) {
        return Base64.getDecoder().decode(transit.decrypt(keyName, wrapped.ciphertext()));
    }

    @Override
    public WrappedKey rewrap(WrappedKey wrapped) {
        return wrapped(transit.rewrap(keyName, wrapped.ciphertext()));
    }

    @Override
    public void rotate() {
        transit.rotate(keyName);
    }

    /** Vault's own HMAC ({@code vault:v<version>:...}): the key never leaves Vault. */
    @Override
    public String tag(byte[] message) {
        return transit.getHmac(keyName, Plaintext.of(message)).getHmac();
    }

    @Override
    public boolean verifyTag(byte[] message, String tag) {
        if (!tag.startsWith("vault:")) {
            return false;
        }
        return transit.verify(keyName, VaultSignatureVerificationRequest.builder().plaintext(Plaintext.of(message))
                .hmac(Hmac.of(tag)).build()).isValid();
    }

    /** Vault's ciphertexts read {@code vault:v<version>:<base64>}. */
    private WrappedKey wrapped(String ciphertext) {
        String[] parts = ciphertext.split(":", 3);
        return new WrappedKey(backend(), parts[1].substring(1), ciphertext);
    }
}
