package dev.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.latchkey.web.LatchkeyException;

class LocalKeyringTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void givenFileBackedKeyring_whenRotated_thenNewWrapsUseTheNewVersionAndOldWrapsStillUnwrap(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("master.key");
        Files.writeString(file, "1:" + key() + "\n");
        LocalKeyring keyring = LocalKeyring.fromFile(file, random);
        byte[] dataKey = new byte[32];
        random.nextBytes(dataKey);
        WrappedKey before = keyring.wrap(dataKey);

        keyring.rotate();

        WrappedKey after = keyring.wrap(dataKey);
        assertThat(before.version()).isEqualTo("1");
        assertThat(after.version()).isEqualTo("2");
        assertThat(keyring.unwrap(before)).isEqualTo(dataKey);
        assertThat(keyring.unwrap(keyring.rewrap(before))).isEqualTo(dataKey);
        assertThat(keyring.rewrap(before).version()).isEqualTo("2");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(LocalKeyring.fromFile(file, random).unwrap(after)).isEqualTo(dataKey);
    }

    @Test
    void givenConfiguredKeyringOfTwoVersions_whenWrapping_thenTheNewestWrapsAndBothUnwrap() {
        String v1 = key();
        LocalKeyring old = LocalKeyring.fromConfiguration(v1, random);
        LocalKeyring both = LocalKeyring.fromConfiguration("2:" + key() + ",1:" + v1, random);
        byte[] dataKey = new byte[32];
        WrappedKey wrappedByOld = old.wrap(dataKey);

        assertThat(both.wrap(dataKey).version()).isEqualTo("2");
        assertThat(both.unwrap(wrappedByOld)).isEqualTo(dataKey);
    }

    @Test
    void givenConfiguredKeyring_whenAskedToRotate_thenRefusesWithInstructions() {
        LocalKeyring keyring = LocalKeyring.fromConfiguration(key(), random);

        assertThatThrownBy(keyring::rotate).isInstanceOf(LatchkeyException.class)
                .hasMessageContaining("LATCHKEY_CRYPTO_LOCAL_MASTER_KEY");
    }

    @Test
    void givenWrappedKeyWithATamperedByte_whenUnwrapped_thenDecryptionFails() {
        LocalKeyring keyring = LocalKeyring.fromConfiguration(key(), random);
        WrappedKey wrapped = keyring.wrap(new byte[32]);
        byte[] bytes = Base64.getDecoder().decode(wrapped.ciphertext());
        bytes[bytes.length - 1] ^= 1;

        assertThatThrownBy(() -> keyring.unwrap(new WrappedKey("local", "1", Base64.getEncoder().encodeToString(bytes))))
                .isInstanceOf(DecryptionFailedException.class);
    }

    private String key() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
