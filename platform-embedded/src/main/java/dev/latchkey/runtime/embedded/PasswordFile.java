package dev.latchkey.runtime.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A generated database password in a file of its own (mode 0600), created atomically so that
 * two instances starting together in one folder agree on one value.
 */
record PasswordFile(Path file) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The password and whether this call created it. */
    record Password(String value, boolean created) {

        @Override
        public String toString() {
            return "Password[***, created=" + created + "]";
        }
    }

    /** Reads the password, creating a new 256-bit one (base64, no quotes) when the file is missing. */
    Password readOrCreate() {
        try {
            boolean created = false;
            if (!Files.exists(file)) {
                created = create();
            }
            String value = Files.readString(file).strip();
            if (!value.matches("[A-Za-z0-9+/=]{16,}")) {
                throw new IllegalStateException(file + " does not hold a generated password; delete it and start"
                        + " again to have a new one set");
            }
            return new Password(value, created);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private boolean create() throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        Path temporary = Files.createTempFile(directory, file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, Base64.getEncoder().encodeToString(secret) + "\n",
                    StandardOpenOption.TRUNCATE_EXISTING);
            Files.createLink(file, temporary);
            return true;
        } catch (FileAlreadyExistsException anotherInstanceWon) {
            return false; // its password stands
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
