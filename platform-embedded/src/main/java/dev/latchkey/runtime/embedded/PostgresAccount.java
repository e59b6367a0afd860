package dev.latchkey.runtime.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operating-system account the PostgreSQL programs run as, expressed as a prefix for their
 * command lines.
 *
 * <p>initdb and postgres refuse to run as root, by design: a database superuser can read and
 * write files and run programs as the server's account. Developer containers and CI machines
 * often run everything as root, so there the programs are started through a prefix that drops
 * root first. Preferred is a real drop to an unprivileged account (setpriv, which needs no PAM
 * or login shell); when that account cannot reach the directories (say they are under
 * {@code /root}, mode 0700), an unmapped user namespace is the fallback: PostgreSQL then sees
 * itself as "nobody" and starts, while the kernel still files everything it writes under root.
 * That only satisfies PostgreSQL's check and is weaker isolation, hence second choice.
 */
record PostgresAccount(String description, List<String> commandPrefix, Ownership ownership) {

    private static final Logger log = LoggerFactory.getLogger(PostgresAccount.class);

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
    private static final String UNPRIVILEGED_USER = "nobody";

    /** Can this account run PostgreSQL (not root, known to the user database) and reach every path? */
    private static final String PROBE = "[ \"$(id -u)\" != 0 ] && id -un >/dev/null"
            + " && for path in \"$@\"; do test -x \"$path\" || exit 1; done";

    /** Numeric owner the data directory must have, or null to leave ownership alone. */
    record Ownership(int uid, int gid) {
    }

    PostgresAccount {
        commandPrefix = List.copyOf(commandPrefix);
    }

    static PostgresAccount currentUser() {
        return new PostgresAccount("the current user", List.of(), null);
    }

    static Optional<PostgresAccount> unprivileged(String user) {
        Optional<Integer> uid = numericId("-u", user);
        Optional<Integer> gid = numericId("-g", user);
        if (uid.isEmpty() || gid.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PostgresAccount("'" + user + "' (via setpriv)",
                List.of("setpriv", "--reuid=" + uid.get(), "--regid=" + gid.get(), "--clear-groups",
                        "--no-new-privs", "--"),
                new Ownership(uid.get(), gid.get())));
    }

    static PostgresAccount userNamespace() {
        int uid = numericId("-u", null).orElseThrow();
        int gid = numericId("-g", null).orElseThrow();
        // Files the server writes belong to root, so a data directory once owned by the
        // unprivileged account is handed back.
        return new PostgresAccount("root inside a user namespace (via unshare)", List.of("unshare", "--user", "--"),
                new Ownership(uid, gid));
    }

    /** What a root JVM tries, best first. */
    static List<PostgresAccount> rootAlternatives() {
        List<PostgresAccount> alternatives = new ArrayList<>();
        unprivileged(UNPRIVILEGED_USER).ifPresent(alternatives::add);
        alternatives.add(userNamespace());
        return alternatives;
    }

    /**
     * The current user unless that is root; otherwise the first alternative that can run
     * PostgreSQL and reach {@code paths}.
     */
    static PostgresAccount choose(Supplier<List<PostgresAccount>> rootAlternatives, Path... paths) {
        if (numericId("-u", null).orElse(-1) != 0) {
            return currentUser();
        }
        List<PostgresAccount> alternatives = rootAlternatives.get();
        for (PostgresAccount alternative : alternatives) {
            if (alternative.canReach(paths)) {
                log.info("Running as root, which PostgreSQL refuses; running it as {}", alternative.description());
                return alternative;
            }
        }
        throw new IllegalStateException("PostgreSQL refuses to run as root, and this JVM runs as root. Tried "
                + alternatives.stream().map(PostgresAccount::description).toList()
                + ", but none could run PostgreSQL with access to " + List.of(paths)
                + ". Make every directory on those paths searchable by other users (chmod o+x, e.g. on /root),"
                + " move the data directory to such a place, or run as a non-root user.");
    }

    List<String> command(Path executable, String... arguments) {
        List<String> command = new ArrayList<>(commandPrefix);
        command.add(executable.toString());
        command.addAll(List.of(arguments));
        return command;
    }

    /** Hands {@code directory} and everything in it to this account, if it does not own it yet. */
    void takeOwnership(Path directory) {
        if (ownership == null || ownedBy(directory, ownership)) {
            return;
        }
        log.debug("Handing {} to {}", directory, description);
        // Deepest first: the top directory's owner is what marks the whole tree as handed over.
        try (Stream<Path> paths = Files.walk(directory).sorted(Comparator.reverseOrder())) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Files.setAttribute(path, "unix:uid", ownership.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", ownership.gid(), LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot hand " + directory + " to " + description, e);
        }
    }

    /** Gives one file or directory (not what is in it) to this account, so that its programs can read it. */
    void handOver(Path path) {
        if (ownership == null) {
            return;
        }
        try {
            Files.setAttribute(path, "unix:uid", ownership.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", ownership.gid(), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot hand " + path + " to " + description, e);
        }
    }

    private boolean canReach(Path... paths) {
        List<String> command = new ArrayList<>(commandPrefix);
        command.addAll(List.of("sh", "-c", PROBE, "probe"));
        Stream.of(paths).map(Path::toString).forEach(command::add);
        try {
            ExternalCommand.Result result = ExternalCommand.run(command, PROBE_TIMEOUT);
            if (!result.succeeded()) {
                log.debug("Cannot run PostgreSQL as {}: {}", description, result.describe());
            }
            return result.succeeded();
        } catch (UncheckedIOException e) {
            log.debug("Cannot run PostgreSQL as {}", description, e);
            return false;
        }
    }

    private static boolean ownedBy(Path path, Ownership ownership) {
        try {
            return ownership.uid() == (int) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)
                    && ownership.gid() == (int) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the owner of " + path, e);
        }
    }

    /** {@code id -u} / {@code id -g}, of {@code user} or of this process when null. */
    private static Optional<Integer> numericId(String option, String user) {
        List<String> command = user == null ? List.of("id", option) : List.of("id", option, user);
        ExternalCommand.Result result = ExternalCommand.run(command, PROBE_TIMEOUT);
        return result.succeeded() ? Optional.of(Integer.parseInt(result.output().strip())) : Optional.empty();
    }
}
