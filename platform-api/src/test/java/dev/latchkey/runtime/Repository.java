package dev.latchkey.runtime;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's top folder, where docker-compose.yml, the Dockerfile and helm/ live. */
final class Repository {

    private Repository() {
    }

    static Path root() {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null) {
            if (Files.exists(directory.resolve("mvnw")) && Files.isDirectory(directory.resolve("platform-api"))) {
                return directory;
            }
            directory = directory.getParent();
        }
        throw new IllegalStateException("Not inside the Latchkey repository: " + Path.of("").toAbsolutePath());
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }
}
