package dev.latchkey.runtime.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server, from the binaries zonky ships on Maven Central, that keeps its data
 * in a directory of the caller's choosing across restarts.
 *
 * <p>Layout beside the data directory {@code D}: {@code D.lock} (held while a JVM owns {@code D}),
 * {@code D-superuser.password} (the superuser's generated password, mode 0600) and
 * {@code postgres-binaries/<digest>/} (the unpacked installation). The server log is
 * {@code D/server.log}. The server listens on loopback only, over TCP only, and asks every
 * connection for a password (SCRAM): other local users and processes get nothing from it. A data
 * directory of an earlier version, which trusted every local connection, is secured the same way
 * at its next start. Still a development and demo database, not a production one.
 *
 * <p>The server stops on {@link #close()} and, should the JVM exit or die without closing it,
 * shortly after the JVM is gone (see {@link #startWatchdog}). A server that outlived even that is
 * stopped by the next {@link #start}.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private static final String SUPERUSER = "postgres";
    private static final String BINARIES_DIRECTORY = "postgres-binaries";
    private static final String SERVER_LOG = "server.log";
    private static final String PASSWORD_FILE_SUFFIX = "-superuser.password";
    /** The only client authentication the server accepts: a password, from loopback (there is no Unix socket). */
    private static final String CLIENT_AUTHENTICATION = """
            # Written by Latchkey at every start: a password (SCRAM) for every connection, from loopback
            # only. The server listens on localhost over TCP and has no Unix socket.
            host    all    all    127.0.0.1/32    scram-sha-256
            host    all    all    ::1/128         scram-sha-256
            """;
    private static final String INVALID_PASSWORD = "28P01";
    private static final long SERVER_LOG_ROTATION_BYTES = 10L * 1024 * 1024;
    private static final int SERVER_LOG_TAIL_LINES = 30;

    /** Generous: the first start after a crash replays WAL before accepting connections. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(2);
    /** init usually reaps within a second; a PID 1 that never reaps should not hold us up long. */
    private static final Duration ZOMBIE_REAP_GRACE = Duration.ofSeconds(5);
    private static final Duration COMMAND_SLACK = Duration.ofSeconds(15);

    /**
     * Waits for the JVM to go away, then stops the server. Its stdin is a pipe from this JVM:
     * close() writes a line first (exit quietly); any JVM exit, even SIGKILL, closes the pipe with
     * no line (stop the server). It ignores the terminal's Ctrl-C, which the JVM's own shutdown
     * handles.
     */
    private static final String WATCHDOG_SCRIPT = "trap '' INT HUP; if read -r _; then exit 0; fi; exec \"$@\"";

    /**
     * Keeps every watchdog's pipe reachable: if it were garbage-collected with a server nobody
     * references any more, the pipe would close and the server would stop mid-run.
     */
    private static final Set<Process> WATCHDOGS = ConcurrentHashMap.newKeySet();

    private final Path dataDirectory;
    private final int port;
    private final PostgresBinaries binaries;
    private final PostgresAccount account;
    private final String password;
    private final FileChannel lockChannel;
    private final ProcessHandle postmaster;
    private final Process watchdog;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgresServer(Path dataDirectory, int port, PostgresBinaries binaries, PostgresAccount account,
            String password, FileChannel lockChannel, ProcessHandle postmaster, Process watchdog) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.binaries = binaries;
        this.account = account;
        this.password = password;
        this.lockChannel = lockChannel;
        this.postmaster = postmaster;
        this.watchdog = watchdog;
    }

    /** Starts a server on a free port, creating the data directory on first use. */
    public static EmbeddedPostgresServer start(Path dataDirectory) {
        return start(dataDirectory, 0, PostgresAccount::rootAlternatives);
    }

    /** Starts a server on {@code port}, creating the data directory on first use. */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Not a TCP port: " + port);
        }
        return start(dataDirectory, port, PostgresAccount::rootAlternatives);
    }

    /** {@code port} 0 picks a free one. */
    static EmbeddedPostgresServer start(Path dataDirectory, int requestedPort,
            Supplier<List<PostgresAccount>> rootAlternatives) {
        long started = System.nanoTime();
        int port = requestedPort == 0 ? freePort() : requestedPort;
        Path directory = dataDirectory.toAbsolutePath().normalize();
        FileChannel lockChannel = lock(directory);
        try {
            PostgresBinaries binaries = PostgresBinaries.unpackInto(directory.resolveSibling(BINARIES_DIRECTORY));
            PostgresAccount account = PostgresAccount.choose(rootAlternatives,
                    binaries.executable("postgres"), directory.getParent());
            PasswordFile.Password password = new PasswordFile(passwordFile(directory)).readOrCreate();
            boolean fresh = prepareDataDirectory(directory, binaries, account, password.value());
            stopLeftoverServer(directory, binaries, account);
            secure(directory, binaries, account, password, fresh);
            startServer(directory, port, binaries, account);
            ProcessHandle postmaster;
            Process watchdog;
            try {
                postmaster = runningPostmaster(directory).orElseThrow(() -> new IllegalStateException(
                        "PostgreSQL started but " + directory + "/postmaster.pid names no running process"));
                watchdog = startWatchdog(stopCommand(directory, binaries, account));
            } catch (RuntimeException e) {
                ExternalCommand.run(stopCommand(directory, binaries, account), STOP_TIMEOUT.plus(COMMAND_SLACK));
                throw e;
            }
            log.info("PostgreSQL started on port {} with data in {} in {} ms", port, directory,
                    (System.nanoTime() - started) / 1_000_000);
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(directory, port, binaries, account,
                    password.value(), lockChannel, postmaster, watchdog);
            server.checkSignIn();
            return server;
        } catch (RuntimeException e) {
            closeQuietly(lockChannel);
            throw e;
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    /** The superuser, for setting up databases and roles; applications get roles of their own. */
    public String username() {
        return SUPERUSER;
    }

    /** The superuser's password, generated into {@link #passwordFile(Path)}. */
    public String password() {
        return password;
    }

    /** Where the superuser's password of the server on {@code dataDirectory} is kept. */
    public static Path passwordFile(Path dataDirectory) {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        return directory.resolveSibling(directory.getFileName() + PASSWORD_FILE_SUFFIX);
    }

    /** A connection to {@code database} as the superuser. */
    public Connection connectAsSuperuser(String database) throws SQLException {
        if (closed.get()) {
            throw new IllegalStateException("The server is closed");
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl(database));
        dataSource.setUser(SUPERUSER);
        dataSource.setPassword(password);
        return dataSource.getConnection();
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * Creates database {@code name} unless it exists.
     *
     * @return whether it was created
     */
    public boolean ensureDatabase(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A database name is required");
        }
        try (Connection connection = connectAsSuperuser("postgres")) {
            try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, name);
                try (ResultSet row = exists.executeQuery()) {
                    if (row.next()) {
                        return false;
                    }
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
            } catch (SQLException e) {
                if ("42P04".equals(e.getSQLState())) {
                    return false; // duplicate_database: someone else created it just now
                }
                throw e;
            }
            log.info("Created database {}", name);
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + " on port " + port, e);
        }
    }

    /** Stops the server (pg_ctl stop -m fast) and releases the data directory; later calls do nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            disarm(watchdog);
            if (!isRunning(postmaster)) {
                log.warn("PostgreSQL (pid {}) for {} had already exited", postmaster.pid(), dataDirectory);
                return;
            }
            ExternalCommand.Result stop = ExternalCommand.run(stopCommand(dataDirectory, binaries, account),
                    STOP_TIMEOUT.plus(COMMAND_SLACK));
            if (!stop.succeeded()) {
                throw new IllegalStateException("Cannot stop PostgreSQL: " + stop.describe());
            }
            log.info("PostgreSQL on port {} stopped", port);
        } finally {
            closeQuietly(lockChannel);
        }
    }

    /** The running server's main process. */
    ProcessHandle postmaster() {
        return postmaster;
    }

    private static FileChannel lock(Path directory) {
        Path lockFile = directory.resolveSibling(directory.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(directory.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IllegalStateException(inUse(directory, lockFile));
            }
            return channel;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new IllegalStateException(inUse(directory, lockFile), e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot lock " + lockFile, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static String inUse(Path directory, Path lockFile) {
        return "Another process (or this one) is already running PostgreSQL on " + directory
                + " (it holds " + lockFile + "); stop it first or use another data directory";
    }

    /** @return whether the data directory is new (initialised now) */
    private static boolean prepareDataDirectory(Path directory, PostgresBinaries binaries, PostgresAccount account,
            String password) {
        try {
            boolean fresh = isEmptyOrMissing(directory);
            if (!fresh && !Files.exists(directory.resolve("PG_VERSION"))) {
                throw new IllegalStateException(directory + " is neither empty nor a PostgreSQL data directory;"
                        + " refusing to touch it");
            }
            Files.createDirectories(directory);
            account.takeOwnership(directory);
            if (fresh) {
                initdb(directory, binaries, account, password);
            }
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + directory, e);
        }
    }

    private static boolean isEmptyOrMissing(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return true;
        }
        try (Stream<Path> children = Files.list(directory)) {
            return children.findAny().isEmpty();
        }
    }

    private static void initdb(Path directory, PostgresBinaries binaries, PostgresAccount account, String password)
            throws IOException {
        long started = System.nanoTime();
        // initdb reads the password from a file, which the account it runs as must be able to read:
        // a copy of the password file in a private directory that belongs to that account.
        Path passwordCopyDirectory = Files.createTempDirectory("latchkey-initdb");
        Path passwordCopy = passwordCopyDirectory.resolve("password");
        try {
            Files.writeString(Files.createFile(passwordCopy, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------"))), password + "\n");
            account.handOver(passwordCopyDirectory);
            account.handOver(passwordCopy);
            // C collation with UTF-8: the same sort order on every machine, and no dependence on the
            // OS locale data, which would otherwise pin the data directory to one glibc version.
            ExternalCommand.Result initdb = ExternalCommand.run(account.command(binaries.executable("initdb"),
                    "--pgdata=" + directory, "--username=" + SUPERUSER, "--auth=scram-sha-256",
                    "--pwfile=" + passwordCopy, "--encoding=UTF8", "--no-locale", "--no-instructions"),
                    INITDB_TIMEOUT);
            if (!initdb.succeeded()) {
                throw new IllegalStateException("Cannot initialise " + directory + ": " + initdb.describe());
            }
        } finally {
            Files.deleteIfExists(passwordCopy);
            Files.deleteIfExists(passwordCopyDirectory);
        }
        log.info("Initialised a new PostgreSQL data directory {} in {} ms", directory,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Password authentication from loopback only: writes the client authentication file when it
     * says anything else (a new data directory, or one of an earlier version that trusted every
     * local connection), and sets the superuser's password when the data directory does not know
     * it yet (such an earlier one, or a password file that was deleted). The password is set in
     * single-user mode, which opens no connection at all: there is never a moment when the server
     * answers without a password.
     */
    private static void secure(Path directory, PostgresBinaries binaries, PostgresAccount account,
            PasswordFile.Password password, boolean fresh) {
        Path clientAuthentication = directory.resolve("pg_hba.conf");
        try {
            boolean rewritten = !Files.exists(clientAuthentication)
                    || !CLIENT_AUTHENTICATION.equals(Files.readString(clientAuthentication));
            if (rewritten) {
                Files.writeString(clientAuthentication, CLIENT_AUTHENTICATION);
                account.handOver(clientAuthentication);
            }
            if (!fresh && (rewritten || password.created())) {
                setSuperuserPassword(directory, binaries, account, password.value());
                log.warn("Secured the PostgreSQL data directory {}: every connection now needs a password (SCRAM),"
                        + " the superuser's is in {} (mode 0600)", directory, passwordFile(directory));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + clientAuthentication, e);
        }
    }

    private static void setSuperuserPassword(Path directory, PostgresBinaries binaries, PostgresAccount account,
            String password) {
        // On standard input, so the password shows in no command line; no statement is logged.
        ExternalCommand.Result single = ExternalCommand.run(account.command(binaries.executable("postgres"),
                "--single", "-D", directory.toString(), "-c", "log_min_error_statement=panic",
                "-c", "password_encryption=scram-sha-256", "postgres"), INITDB_TIMEOUT,
                "ALTER ROLE " + SUPERUSER + " WITH PASSWORD '" + password + "';\n");
        if (!single.succeeded() || single.output().contains("ERROR")) {
            throw new IllegalStateException("Cannot set the superuser's password of the PostgreSQL data directory "
                    + directory + ": postgres --single exited with " + single.exitCode());
        }
    }

    /** Fails with what to do when the password file does not match the data directory (say, it was replaced). */
    private void checkSignIn() {
        try (Connection connection = connectAsSuperuser("postgres")) {
            connection.isValid(5);
        } catch (SQLException e) {
            close();
            if (INVALID_PASSWORD.equals(e.getSQLState())) {
                throw new IllegalStateException("The password in " + passwordFile(dataDirectory)
                        + " is not the superuser's password of " + dataDirectory + "; restore that file, or delete it"
                        + " and start again to have a new password set", e);
            }
            throw new IllegalStateException("Cannot connect to the PostgreSQL started on port " + port, e);
        }
    }

    /**
     * Stops a server still running on {@code directory}: one that outlived the JVM that started it
     * (e.g. killed together with its watchdog). Our lock is held, so no live JVM owns it.
     */
    private static void stopLeftoverServer(Path directory, PostgresBinaries binaries, PostgresAccount account) {
        OptionalLong pid = postmasterPid(directory);
        if (pid.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.getAsLong()).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            // A crash left postmaster.pid behind; PostgreSQL clears it and recovers on start.
            log.info("PostgreSQL (pid {}) did not shut down cleanly last time; it will recover", pid.getAsLong());
            return;
        }
        // PostgreSQL takes any process answering kill(pid, 0) for a running server and refuses to
        // start. postmaster.pid is worth keeping (it also guards against leftover backends), so it
        // goes only when that process is a zombie that stays unreaped, or no PostgreSQL at all.
        if (!isRunning(process.get())) {
            if (awaitReaped(process.get())) {
                log.info("PostgreSQL (pid {}) crashed; it will recover", pid.getAsLong());
            } else {
                removeStalePidFile(directory, "pid " + pid.getAsLong() + " has exited but is not reaped");
            }
            return;
        }
        if (!isPostgres(process.get())) {
            removeStalePidFile(directory, "pid " + pid.getAsLong() + " is now "
                    + process.get().info().command().orElse("another program"));
            return;
        }
        log.warn("Stopping PostgreSQL (pid {}) left running on {} by an earlier process", pid.getAsLong(), directory);
        ExternalCommand.Result stop = ExternalCommand.run(stopCommand(directory, binaries, account),
                STOP_TIMEOUT.plus(COMMAND_SLACK));
        if (!stop.succeeded() && isRunning(process.get())) {
            throw new IllegalStateException("Cannot stop the PostgreSQL left running on " + directory + ": "
                    + stop.describe());
        }
    }

    private static boolean awaitReaped(ProcessHandle zombie) {
        long deadline = System.nanoTime() + ZOMBIE_REAP_GRACE.toNanos();
        try {
            while (zombie.isAlive()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(50);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for PostgreSQL to exit", e);
        }
    }

    private static void removeStalePidFile(Path directory, String reason) {
        log.warn("Removing stale {}/postmaster.pid: {}", directory, reason);
        try {
            Files.deleteIfExists(directory.resolve("postmaster.pid"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove stale postmaster.pid in " + directory, e);
        }
    }

    /**
     * Alive and not a zombie. A server detached by pg_ctl is reaped by init, which may take a
     * while (seconds, or never under a PID 1 that does not reap); meanwhile the exited process
     * still counts as alive to ProcessHandle and to pg_ctl, and pg_ctl stop would wait in vain.
     */
    static boolean isRunning(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return process.isAlive(); // no /proc (macOS), or the process just went away
        }
    }

    /** Unknown counts as PostgreSQL: wrongly removing a live server's postmaster.pid is far worse. */
    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command()
                .map(command -> Path.of(command).getFileName().toString().startsWith("postgres"))
                .orElse(true);
    }

    private static void startServer(Path directory, int port, PostgresBinaries binaries, PostgresAccount account) {
        Path serverLog = directory.resolve(SERVER_LOG);
        rotate(serverLog);
        // TCP on localhost only; no Unix socket, so no socket or lock files in /tmp to go stale
        // or to clash between accounts.
        String serverOptions = "-p " + port + " -c listen_addresses=localhost -c unix_socket_directories=''";
        ExternalCommand.Result start = ExternalCommand.run(account.command(binaries.executable("pg_ctl"), "start",
                "--pgdata=" + directory, "--log=" + serverLog, "--options=" + serverOptions,
                "--wait", "--timeout=" + START_TIMEOUT.toSeconds(), "--silent"), START_TIMEOUT.plus(COMMAND_SLACK));
        if (!start.succeeded()) {
            throw new IllegalStateException("Cannot start PostgreSQL on port " + port + ": " + start.describe()
                    + "\nLast lines of " + serverLog + ":\n" + tail(serverLog));
        }
    }

    private static List<String> stopCommand(Path directory, PostgresBinaries binaries, PostgresAccount account) {
        return account.command(binaries.executable("pg_ctl"), "stop", "--pgdata=" + directory, "--mode=fast",
                "--wait", "--timeout=" + STOP_TIMEOUT.toSeconds(), "--silent");
    }

    private static Process startWatchdog(List<String> stopCommand) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", WATCHDOG_SCRIPT, "latchkey-postgres-watchdog"));
        command.addAll(stopCommand);
        try {
            Process watchdog = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            WATCHDOGS.add(watchdog);
            return watchdog;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the PostgreSQL watchdog", e);
        }
    }

    private static void disarm(Process watchdog) {
        try (OutputStream stdin = watchdog.getOutputStream()) {
            stdin.write('\n');
        } catch (IOException e) {
            log.debug("The PostgreSQL watchdog had already exited", e);
        }
        try {
            if (!watchdog.waitFor(5, TimeUnit.SECONDS)) {
                watchdog.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            watchdog.destroyForcibly();
        } finally {
            WATCHDOGS.remove(watchdog);
        }
    }

    private static Optional<ProcessHandle> runningPostmaster(Path directory) {
        OptionalLong pid = postmasterPid(directory);
        return pid.isPresent() ? ProcessHandle.of(pid.getAsLong()).filter(ProcessHandle::isAlive) : Optional.empty();
    }

    private static OptionalLong postmasterPid(Path directory) {
        Path pidFile = directory.resolve("postmaster.pid");
        try (Stream<String> lines = Files.lines(pidFile)) {
            return lines.findFirst().map(String::strip).filter(line -> line.matches("\\d+"))
                    .map(line -> OptionalLong.of(Long.parseLong(line))).orElse(OptionalLong.empty());
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + pidFile, e);
        }
    }

    private static void rotate(Path serverLog) {
        try {
            if (Files.exists(serverLog) && Files.size(serverLog) > SERVER_LOG_ROTATION_BYTES) {
                Files.move(serverLog, serverLog.resolveSibling(SERVER_LOG + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            log.warn("Cannot rotate {}", serverLog, e);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - SERVER_LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port", e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("Cannot release the data directory lock", e);
        }
    }
}
