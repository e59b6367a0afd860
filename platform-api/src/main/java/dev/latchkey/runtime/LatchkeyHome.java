package dev.latchkey.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's data folder ({@code ./.latchkey/} unless {@code latchkey.home} says
 * otherwise): the embedded database and generated local secrets live here, so two instances
 * started in the same folder share them.
 */
public record LatchkeyHome(Path directory) {

    private static final Logger log = LoggerFactory.getLogger(LatchkeyHome.class);

    /**
     * Reads a generated 256-bit secret, creating it (mode 0600, written atomically so two
     * instances starting together agree on one value) when it does not exist yet.
     */
    public byte[] generatedSecret(String fileName, SecureRandom random) {
        Path file = generatedSecretFile(fileName, random);
        try {
            return Base64.getDecoder().decode(Files.readString(file).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /**
     * The file of a generated secret, created with a new 256-bit secret in base64 when missing.
     * For secrets whose file its owner extends later (the master keyring gains versions).
     */
    public Path generatedSecretFile(String fileName, SecureRandom random) {
        Path file = directory.resolve(fileName);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(directory);
                byte[] secret = new byte[32];
                random.nextBytes(secret);
                Path temporary = Files.createTempFile(directory, fileName, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(temporary, Base64.getEncoder().encodeToString(secret) + "\n",
                        StandardOpenOption.TRUNCATE_EXISTING);
                try {
                    Files.createLink(file, temporary);
                    log.warn("Generated {} for the embedded default (not for production)", file);
                } catch (FileAlreadyExistsException anotherInstanceWon) {
                    // The other instance's secret stands; ours is discarded.
                } finally {
                    Files.deleteIfExists(temporary);
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + file, e);
        }
    }
}
