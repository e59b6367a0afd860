package dev.latchkey.apikeys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;

import dev.latchkey.changes.CacheLoaders;
import dev.latchkey.changes.ChangeFeed;
import dev.latchkey.changes.DedicatedConnections;
import dev.latchkey.kernel.SecretHasher;
import dev.latchkey.runtime.LatchkeyHome;

/**
 * Platform-key verification on the cached path, as {@code BearerTokenFilter} calls it for every
 * request: checksum, cache read, peppered HMAC, constant-time compare, expiry and revocation
 * checks, the caller built. The key is real and stored in a real database (once, for the first
 * verification); one thread, so the score is verifications per second per core.
 * Run by bench/run.sh with {@code -Dbench.jdbc-url=...} naming an existing Latchkey database.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class ApiKeyVerificationBenchmark {

    private HikariDataSource dataSource;
    private ApiKeyAuthenticator authenticator;
    private CacheLoaders loaders;
    private String key;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(System.getProperty("bench.jdbc-url", "jdbc:postgresql://127.0.0.1:5432/latchkey"));
        dataSource.setUsername(System.getProperty("bench.jdbc-user", "postgres"));
        dataSource.setMaximumPoolSize(2);
        SecureRandom random = new SecureRandom();
        Path home = Files.createTempDirectory("latchkey-bench-home");
        ApiKeysProperties settings = new ApiKeysProperties("", Duration.ofMillis(900), 50);
        SecretHasher hasher = new SecretHasherConfiguration().secretHasher(settings, new LatchkeyHome(home), random);
        PlatformKeyFormat.ParsedKey parsed = PlatformKeyFormat.generate(random);
        key = parsed.key();
        store(parsed, hasher);
        loaders = new CacheLoaders();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        authenticator = new ApiKeyAuthenticator(lookupId -> jdbc.sql("""
                SELECT s.secret_hash, s.expires_at, k.id, k.org_id, k.scopes, k.expires_at, k.revoked_at, o.status
                FROM api_key_secrets s JOIN api_keys k ON k.id = s.api_key_id JOIN organizations o ON o.id = k.org_id
                WHERE s.lookup_id = :lookupId""").param("lookupId", lookupId)
                .query((rs, n) -> new ResolvedSecret(rs.getBytes(1), instant(rs.getTimestamp(2)),
                        rs.getObject(3, UUID.class), rs.getObject(4, UUID.class), (String[]) rs.getArray(5).getArray(),
                        instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)), rs.getString(8)))
                .optional(), hasher, new LastUsedRecorder(null, null), loaders,
                new ChangeFeed(new DedicatedConnections(dataSource)), Clock.systemUTC(), settings);
        authenticator.authenticate(key); // the one database read; every measured call is a cache hit
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        loaders.close();
        dataSource.close();
    }

    @Benchmark
    public Authentication verifyCachedKey() {
        return authenticator.authenticate(key);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private void store(PlatformKeyFormat.ParsedKey parsed, SecretHasher hasher) throws Exception {
        UUID orgId = UUID.randomUUID();
        UUID keyId = UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement org = connection.prepareStatement("INSERT INTO organizations (id, name, slug,"
                    + " created_at, updated_at) VALUES (?, 'JMH', ?, ?, ?)")) {
                org.setObject(1, orgId);
                org.setString(2, "jmh-" + orgId.toString().substring(0, 8));
                org.setTimestamp(3, now);
                org.setTimestamp(4, now);
                org.executeUpdate();
            }
            try (PreparedStatement apiKey = connection.prepareStatement("INSERT INTO api_keys (id, org_id, name,"
                    + " scopes, created_at) VALUES (?, ?, 'jmh', '{tokens:mint}', ?)")) {
                apiKey.setObject(1, keyId);
                apiKey.setObject(2, orgId);
                apiKey.setTimestamp(3, now);
                apiKey.executeUpdate();
            }
            try (PreparedStatement secret = connection.prepareStatement("INSERT INTO api_key_secrets (id, api_key_id,"
                    + " lookup_id, secret_hash, created_at) VALUES (?, ?, ?, ?, ?)")) {
                secret.setObject(1, UUID.randomUUID());
                secret.setObject(2, keyId);
                secret.setString(3, parsed.lookupId());
                secret.setBytes(4, hasher.hash(parsed.key()));
                secret.setTimestamp(5, now);
                secret.executeUpdate();
            }
        }
    }
}
