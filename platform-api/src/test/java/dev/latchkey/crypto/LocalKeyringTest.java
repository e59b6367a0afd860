package dev.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.latchkey.kernel.LatchkeyException;

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

    @Test
    void givenTheKeyFileChangedUnderARotation_whenItWouldBeWritten_thenRefusedAndTheOtherWritersVersionStays(
            @TempDir Path dir) throws IOException {
        Path file = dir.resolve("master.key");
        Files.writeString(file, "1:" + key() + "\n");
        byte[] readByFirst = Files.readAllBytes(file);
        LocalKeyring second = LocalKeyring.fromFile(file, random);
        second.rotate();
        WrappedKey wrappedBySecond = second.wrap(new byte[32]);
        NavigableMap<Integer, byte[]> firstsKeys = new TreeMap<>(java.util.Map.of(1, new byte[32], 2, new byte[32]));

        assertThatThrownBy(() -> LocalKeyring.writeIfUnchanged(file, readByFirst, firstsKeys))
                .isInstanceOf(LatchkeyException.class).hasMessageContaining("changed");

        assertThat(wrappedBySecond.version()).isEqualTo("2");
        assertThat(LocalKeyring.fromFile(file, random).unwrap(wrappedBySecond)).isEqualTo(new byte[32]);
    }

    @Test
    void givenKeyringsOfOneFileRotatingConcurrently_whenEachWrapsWithItsNewVersion_thenTheFileUnwrapsEveryOne(
            @TempDir Path dir) throws Exception {
        Path file = dir.resolve("master.key");
        Files.writeString(file, "1:" + key() + "\n");
        List<WrappedKey> wrapped = new CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> rotations = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                rotations.add(threads.submit(() -> {
                    LocalKeyring keyring = LocalKeyring.fromFile(file, random);
                    start.await();
                    try {
                        keyring.rotate();
                        wrapped.add(keyring.wrap(new byte[32]));
                    } catch (LatchkeyException conflict) {
                        // Another rotation won the file: nothing of this one was written or used.
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> rotation : rotations) {
                rotation.get();
            }
        } finally {
            threads.shutdownNow();
        }

        LocalKeyring reread = LocalKeyring.fromFile(file, random);
        assertThat(wrapped).isNotEmpty();
        for (WrappedKey key : wrapped) {
            assertThat(reread.unwrap(key)).as("version %s", key.version()).isEqualTo(new byte[32]);
        }
        assertThat(wrapped).extracting(WrappedKey::version).doesNotHaveDuplicates();
    }

    private String key() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
