package dev.latchkey.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.latchkey.crypto.DecryptionFailedException;
import dev.latchkey.crypto.EnvelopeEncryption;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.Provider;
import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.TestInfrastructure;

/**
 * What a stolen or tampered database reveals: nothing. Ciphertexts are moved around with SQL,
 * as an attacker with database access would; decryption goes through the broker's own path.
 */
class CredentialEncryptionIT extends IntegrationTest {

    @Autowired
    CredentialService credentialService;

    @Autowired
    EnvelopeEncryption encryption;

    @Test
    void givenCiphertextCopiedToAnotherCredentialOfTheSameOrg_whenUsed_thenItDoesNotDecrypt() throws SQLException {
        SignedUp owner = signUp();
        UUID original = create(owner, "sk-test-original-secret-000000000001");
        UUID victim = create(owner, "sk-test-victim-secret-00000000000002");

        copyCiphertext(original, victim);

        assertThatThrownBy(() -> use(owner, victim)).isInstanceOf(DecryptionFailedException.class);
        assertThat(use(owner, original).secret("api_key").reveal()).isEqualTo("sk-test-original-secret-000000000001");
    }

    @Test
    void givenCiphertextCopiedToAnotherOrganization_whenUsed_thenItDoesNotDecrypt() throws SQLException {
        SignedUp owner = signUp();
        SignedUp attacker = signUp();
        UUID stolen = create(owner, "sk-test-stolen-secret-0000000000003");
        UUID attackersOwn = create(attacker, "sk-test-attacker-secret-00000000004");

        copyCiphertext(stolen, attackersOwn);

        assertThatThrownBy(() -> use(attacker, attackersOwn)).isInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void givenCredentialsInSeveralOrgs_whenTheMasterKeyIsRotated_thenEveryDataKeyIsRewrappedAndEveryCredentialDecrypts()
            throws SQLException {
        List<SignedUp> owners = List.of(signUp(), signUp(), signUp());
        List<UUID> ids = new ArrayList<>();
        for (SignedUp owner : owners) {
            ids.add(create(owner, "sk-test-rotation-secret-" + owner.orgId()));
        }
        List<String> ciphertextsBefore = ciphertexts(ids);

        EnvelopeEncryption.Rotation rotation = encryption.rotateKeyEncryptionKey();

        assertThat(rotation.rewrapped()).isGreaterThanOrEqualTo(owners.size());
        assertThat(dataKeyVersions()).containsOnly(rotation.version());
        assertThat(ciphertexts(ids)).isEqualTo(ciphertextsBefore);
        for (int i = 0; i < owners.size(); i++) {
            assertThat(use(owners.get(i), ids.get(i)).secret("api_key").reveal())
                    .isEqualTo("sk-test-rotation-secret-" + owners.get(i).orgId());
        }
    }

    @Test
    void givenDeletedOrganization_whenItsCredentialCiphertextIsDecrypted_thenItCannotBe() throws SQLException {
        SignedUp owner = signUp();
        UUID id = create(owner, "sk-test-shredded-secret-000000000005");
        byte[] ciphertext = ciphertext(id);

        assertThat(owner.client().delete("/v1/orgs/" + owner.orgId()).status()).isEqualTo(204);

        assertThat(dataKeyExists(owner.orgId())).isFalse();
        assertThatThrownBy(() -> encryption.decrypt(owner.orgId(), "credential:" + id, ciphertext))
                .isInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void givenStoredCredential_whenReadFromTheDatabase_thenNeitherSecretNorDataKeyIsInPlaintext() throws SQLException {
        SignedUp owner = signUp();
        String secret = "sk-test-plaintext-search-000000000006";
        UUID id = create(owner, secret);

        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT c::text, k::text FROM provider_credentials c JOIN org_data_keys k USING (org_id)"
                                + " WHERE c.id = ?")) {
            statement.setObject(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).doesNotContain(secret).doesNotContain(secret.substring(8));
                assertThat(rs.getString(2)).doesNotContain(secret);
            }
        }
    }

    private UUID create(SignedUp owner, String apiKey) {
        return UUID.fromString(owner.client().post("/v1/orgs/" + owner.orgId() + "/credentials",
                CredentialsIT.openAi("key", apiKey)).json().get("id").asString());
    }

    private DecryptedCredential use(SignedUp owner, UUID credentialId) {
        return credentialService.use(new Caller.User(owner.userId(), owner.email(), false), owner.orgId(),
                Provider.OPENAI, new CredentialChoice.Stored(credentialId));
    }

    private static void copyCiphertext(UUID from, UUID to) throws SQLException {
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement statement = connection.prepareStatement("UPDATE provider_credentials SET"
                        + " secret_ciphertext = (SELECT secret_ciphertext FROM provider_credentials WHERE id = ?)"
                        + " WHERE id = ?")) {
            statement.setObject(1, from);
            statement.setObject(2, to);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }

    private static byte[] ciphertext(UUID id) throws SQLException {
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT secret_ciphertext FROM provider_credentials WHERE id = ?")) {
            statement.setObject(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    private static List<String> ciphertexts(List<UUID> ids) throws SQLException {
        List<String> values = new ArrayList<>();
        for (UUID id : ids) {
            values.add(java.util.HexFormat.of().formatHex(ciphertext(id)));
        }
        return values;
    }

    private static List<String> dataKeyVersions() throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Connection connection = TestInfrastructure.get().connect();
                ResultSet rs = connection.createStatement().executeQuery("SELECT kek_version FROM org_data_keys")) {
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
        }
        return versions;
    }

    private static boolean dataKeyExists(UUID orgId) throws SQLException {
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT 1 FROM org_data_keys WHERE org_id = ?")) {
            statement.setObject(1, orgId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }
}
