package dev.latchkey.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;

/**
 * The {@code local} key-encryption backend: versioned 256-bit master keys, from configuration
 * ({@code "2:<base64>,1:<base64>"}, or one base64 key as version 1) or from a key file with one
 * {@code version:base64} line per version. The newest version wraps; every version unwraps.
 * Only a file-backed keyring can rotate by itself; a configured one rotates when the operator
 * adds a version and restarts. Instances that share the file rotate one at a time (the caller
 * holds a cluster-wide lock, {@link EnvelopeEncryption}); the file itself is replaced only if it
 * is still what the rotation read (compare-and-set under a file lock), so two writers can never
 * leave two different keys behind one version number.
 */
final class LocalKeyring implements KeyEncryption {

    private static final byte[] ASSOCIATED_DATA = "latchkey:data-key:v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAG_KEY_LABEL = "latchkey:audit-checkpoint:v1".getBytes(StandardCharsets.US_ASCII);
    /** File locks are held by the JVM, not by a thread: writers in one JVM take turns here first. */
    private static final Object FILE_WRITERS = new Object();

    private final Path file;
    private final SecureRandom random;
    private volatile NavigableMap<Integer, byte[]> keys;

    private LocalKeyring(NavigableMap<Integer, byte[]> keys, Path file, SecureRandom random) {
        this.keys = keys;
        this.file = file;
        this.random = random;
    }

    static LocalKeyring fromConfiguration(String keyring, SecureRandom random) {
        return new LocalKeyring(parse(keyring.replace(',', '\n')), null, random);
    }

    static LocalKeyring fromFile(Path file, SecureRandom random) {
        return new LocalKeyring(read(file), file, random);
    }

    @Override
    public String backend() {
        return "local";
    }

    @Override
    public String currentVersion() {
        return Integer.toString(keys.lastKey());
    }

    @Override
    public WrappedKey wrap(byte[] dataKey) {
        Map.Entry<Integer, byte[]> current = keys.lastEntry();
        byte[] sealed = Aes256Gcm.encrypt(current.getValue(), dataKey, ASSOCIATED_DATA, random);
        return new WrappedKey(backend(), current.getKey().toString(), Base64.getEncoder().encodeToString(sealed));
    }

    @Override
    public byte[] unwrap(WrappedKey wrapped) {
        int version = Integer.parseInt(wrapped.version());
        byte[] key = keys.get(version);
        if (key == null && file != null) {
            keys = read(file); // another instance sharing the file may have rotated
            key = keys.get(version);
        }
        if (key == null) {
            throw new IllegalStateException("Master key version " + version + " is not in the local keyring");
        }
        return Aes256Gcm.decrypt(key, Base64.getDecoder().decode(wrapped.ciphertext()), ASSOCIATED_DATA);
    }

    @Override
    public WrappedKey rewrap(WrappedKey wrapped) {
        return wrap(unwrap(wrapped));
    }

    /** {@code local:v<version>:<base64 HMAC>}, the HMAC keyed by a key derived from that master key version. */
    @Override
    public String tag(byte[] message) {
        Map.Entry<Integer, byte[]> current = keys.lastEntry();
        return "local:v" + current.getKey() + ":" + Base64.getEncoder().encodeToString(
                hmac(derive(current.getValue(), TAG_KEY_LABEL), message));
    }

    @Override
    public boolean verifyTag(byte[] message, String tag) {
        String[] parts = tag.split(":", 3);
        if (parts.length != 3 || !parts[0].equals("local") || !parts[1].matches("v[0-9]{1,9}")) {
            return false;
        }
        int version = Integer.parseInt(parts[1].substring(1));
        byte[] key = keys.get(version);
        if (key == null && file != null) {
            keys = read(file);
            key = keys.get(version);
        }
        if (key == null) {
            return false;
        }
        try {
            return MessageDigest.isEqual(hmac(derive(key, TAG_KEY_LABEL), message), Base64.getDecoder().decode(parts[2]));
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    /** A key for one purpose, derived from a master key (HKDF-Expand with one block). */
    private static byte[] derive(byte[] masterKey, byte[] label) {
        byte[] info = java.util.Arrays.copyOf(label, label.length + 1);
        info[label.length] = 1;
        return hmac(masterKey, info);
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    @Override
    public synchronized void rotate() {
        if (file == null) {
            throw new LatchkeyException(ProblemType.CONFLICT, "The local master key comes from configuration:"
                    + " add a new version to LATCHKEY_CRYPTO_LOCAL_MASTER_KEY (\"2:<base64>,1:<base64>\"), restart,"
                    + " then rotate to re-wrap every data key under it");
        }
        byte[] before = readBytes(file);
        NavigableMap<Integer, byte[]> current = parse(new String(before, StandardCharsets.US_ASCII));
        byte[] key = new byte[Aes256Gcm.KEY_BYTES];
        random.nextBytes(key);
        current.put(current.lastKey() + 1, key);
        writeIfUnchanged(file, before, current);
        keys = current;
    }

    /**
     * Replaces the key file with {@code keys} if it still holds {@code expected}; otherwise
     * (another writer got there first) refuses with a 409 and writes nothing.
     */
    static void writeIfUnchanged(Path file, byte[] expected, NavigableMap<Integer, byte[]> keys) {
        Path lockFile = file.toAbsolutePath().resolveSibling(file.getFileName() + ".lock");
        synchronized (FILE_WRITERS) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                if (!Arrays.equals(readBytes(file), expected)) {
                    throw new LatchkeyException(ProblemType.CONFLICT, "The master key file changed while this"
                            + " rotation was under way; nothing was written. Rotate again.");
                }
                write(file, keys);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot lock the master key file " + file, e);
            }
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the master key file " + file, e);
        }
    }

    private static NavigableMap<Integer, byte[]> read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the master key file " + file, e);
        }
    }

    private static NavigableMap<Integer, byte[]> parse(String text) {
        NavigableMap<Integer, byte[]> keys = new TreeMap<>();
        for (String line : text.split("\n")) {
            String entry = line.trim();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            int colon = entry.indexOf(':');
            int version = colon < 0 ? 1 : Integer.parseInt(entry.substring(0, colon).trim());
            byte[] key = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
            if (key.length != Aes256Gcm.KEY_BYTES) {
                throw new IllegalStateException("Master key version " + version + " is not 256 bits");
            }
            keys.put(version, key);
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("The local master keyring is empty");
        }
        return keys;
    }

    private static void write(Path file, NavigableMap<Integer, byte[]> keys) {
        String text = keys.entrySet().stream()
                .map(e -> e.getKey() + ":" + Base64.getEncoder().encodeToString(e.getValue()))
                .collect(Collectors.joining("\n", "", "\n"));
        try {
            Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), "master.key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, text, StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the master key file " + file, e);
        }
    }
}
