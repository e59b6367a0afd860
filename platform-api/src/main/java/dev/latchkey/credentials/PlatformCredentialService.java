package dev.latchkey.credentials;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.changes.CacheLoaders;
import dev.latchkey.changes.ChangeFeed;
import dev.latchkey.changes.RefreshingCache;
import dev.latchkey.crypto.DataKeyScope;
import dev.latchkey.crypto.EnvelopeEncryption;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Provider;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform's own provider credentials, kept by platform admins ({@code /v1/admin/credentials})
 * for organizations with managed access. They follow the rules of an organization's: the same
 * providers and fields, write-only secrets (last4 and a fingerprint are shown), envelope encryption
 * (each under a data key of its own in the platform scope, destroyed with it), the same audit
 * events (in no organization's log). The default of each provider is what managed access brokers
 * through; the request path reads them from a cache of ciphertexts that every instance drops when
 * one changes.
 */
@Service
class PlatformCredentialService {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final String LOCK = "platform-credentials:";

    private final JdbcClient jdbc;
    private final CredentialSealer sealer;
    private final EnvelopeEncryption encryption;
    private final AuditService audit;
    private final ProviderSettings settings;
    private final HostGuard hosts;
    private final CredentialVerifier verifier;
    private final ChangeFeed changes;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final RefreshingCache<Selection, Optional<StoredCredential>> cache;

    PlatformCredentialService(JdbcClient jdbc, CredentialSealer sealer, EnvelopeEncryption encryption,
            AuditService audit, ProviderSettings settings, HostGuard hosts, CredentialVerifier verifier,
            ChangeFeed changes, CacheLoaders loaders, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.encryption = encryption;
        this.audit = audit;
        this.settings = settings;
        this.hosts = hosts;
        this.verifier = verifier;
        this.changes = changes;
        this.clock = clock;
        // A change reaches every instance at once through the change feed; the second is the backstop.
        this.cache = loaders.cache(Duration.ofSeconds(1), 1_000, this::load);
        changes.subscribe("platform_credential", change -> cache.invalidateAll());
    }

    /** What a platform admin stores: an organization credential's fields, and the optional caps. */
    record NewPlatformCredential(String provider, String label, Map<String, Object> secret,
            Map<String, Object> config, PlatformCredentialView.Cap cap) {
        @Override
        public String toString() {
            return "NewPlatformCredential[provider=" + provider + ", label=" + label + ", secret=***]";
        }
    }

    @Transactional
    PlatformCredentialView create(Caller.User admin, NewPlatformCredential request) {
        Provider provider = provider(request.provider());
        Map<String, String> secret = CredentialSchema.validateSecret(provider, request.secret(), settings, hosts);
        Map<String, String> config = CredentialSchema.validateConfig(provider, request.config(), settings, hosts);
        PlatformCredentialView.Cap cap = request.cap() == null ? new PlatformCredentialView.Cap(null, null)
                : request.cap();
        UUID id = UUID.randomUUID();
        lockProvider(provider);
        boolean first = jdbc.sql("SELECT count(*) FROM platform_credentials WHERE provider = :provider")
                .param("provider", provider.id()).query(Long.class).single() == 0;
        CredentialSealer.Sealed sealed = sealer.seal(DataKeyScope.platformCredential(id), id, provider, secret);
        jdbc.sql("""
                INSERT INTO platform_credentials (id, provider, label, config, secret_ciphertext, last4, fingerprint,
                    is_default, requests_per_minute, requests_per_month, created_by, created_at)
                VALUES (:id, :provider, :label, CAST(:config AS jsonb), :ciphertext, :last4, :fingerprint, :isDefault,
                    :perMinute, :perMonth, :createdBy, :now)""")
                .param("id", id).param("provider", provider.id()).param("label", request.label().trim())
                .param("config", json.writeValueAsString(config)).param("ciphertext", sealed.ciphertext())
                .param("last4", sealed.last4()).param("fingerprint", sealed.fingerprint()).param("isDefault", first)
                .param("perMinute", cap.requestsPerMinute(), Types.INTEGER)
                .param("perMonth", cap.requestsPerMonth(), Types.BIGINT)
                .param("createdBy", admin.userId()).param("now", Timestamp.from(clock.instant()))
                .update();
        changes.publishLocallyAfterCommit("platform_credential", id.toString());
        audit.record(AuditEvent.success("credential.created").by(admin).target("platform_credential", id)
                .detail("provider", provider.id()).detail("fingerprint", sealed.fingerprint())
                .detail("default", first).detail("scope", "platform").build());
        return find(id);
    }

    @Transactional(readOnly = true)
    List<PlatformCredentialView> list() {
        return jdbc.sql("SELECT *, config::text AS config_json FROM platform_credentials ORDER BY provider, created_at, id")
                .query((rs, n) -> view(rs)).list();
    }

    @Transactional(readOnly = true)
    PlatformCredentialView get(UUID id) {
        return find(id);
    }

    @Transactional
    PlatformCredentialView rotateSecret(Caller.User admin, UUID id, Map<String, Object> newSecret) {
        PlatformCredentialView existing = find(id);
        Provider provider = provider(existing.provider());
        CredentialSealer.Sealed sealed = sealer.seal(DataKeyScope.platformCredential(id), id, provider,
                CredentialSchema.validateSecret(provider, newSecret, settings, hosts));
        jdbc.sql("""
                UPDATE platform_credentials SET secret_ciphertext = :ciphertext, last4 = :last4,
                    fingerprint = :fingerprint, rotated_at = :now, verified_at = NULL, verification = NULL
                WHERE id = :id""")
                .param("ciphertext", sealed.ciphertext()).param("last4", sealed.last4())
                .param("fingerprint", sealed.fingerprint()).param("now", Timestamp.from(clock.instant()))
                .param("id", id).update();
        changes.publishLocallyAfterCommit("platform_credential", id.toString());
        audit.record(AuditEvent.success("credential.rotated").by(admin).target("platform_credential", id)
                .detail("provider", provider.id()).detail("fingerprint", sealed.fingerprint())
                .detail("scope", "platform").build());
        return find(id);
    }

    /** Sets (or, with nulls, lifts) the platform-wide caps; every instance applies them within the cache's TTL. */
    @Transactional
    PlatformCredentialView changeCap(Caller.User admin, UUID id, PlatformCredentialView.Cap cap) {
        PlatformCredentialView existing = find(id);
        jdbc.sql("UPDATE platform_credentials SET requests_per_minute = :perMinute, requests_per_month = :perMonth"
                + " WHERE id = :id")
                .param("perMinute", cap.requestsPerMinute(), Types.INTEGER)
                .param("perMonth", cap.requestsPerMonth(), Types.BIGINT)
                .param("id", id).update();
        changes.publishLocallyAfterCommit("platform_credential", id.toString());
        audit.record(AuditEvent.success("credential.cap_changed").by(admin).target("platform_credential", id)
                .detail("provider", existing.provider())
                .detail("requests_per_minute", cap.requestsPerMinute())
                .detail("requests_per_month", cap.requestsPerMonth()).build());
        return find(id);
    }

    @Transactional
    PlatformCredentialView makeDefault(Caller.User admin, UUID id) {
        PlatformCredentialView credential = find(id);
        lockProvider(provider(credential.provider()));
        jdbc.sql("UPDATE platform_credentials SET is_default = (id = :id) WHERE provider = :provider")
                .param("id", id).param("provider", credential.provider()).update();
        changes.publishLocallyAfterCommit("platform_credential", id.toString());
        audit.record(AuditEvent.success("credential.default_changed").by(admin).target("platform_credential", id)
                .detail("provider", credential.provider()).detail("scope", "platform").build());
        return find(id);
    }

    /**
     * Deletes the credential and destroys its data key in the same transaction (crypto-shredding):
     * no copy of its ciphertext decrypts again. When it was the default, the newest remaining one of
     * its provider takes its place. Session tokens pinned to it go with it; calls it started can no
     * longer be ended from the server.
     */
    @Transactional
    void delete(Caller.User admin, UUID id) {
        PlatformCredentialView credential = find(id);
        lockProvider(provider(credential.provider()));
        jdbc.sql("DELETE FROM platform_credentials WHERE id = :id").param("id", id).update();
        encryption.destroy(DataKeyScope.platformCredential(id));
        if (credential.isDefault()) {
            jdbc.sql("""
                    UPDATE platform_credentials SET is_default = true WHERE id = (
                        SELECT id FROM platform_credentials WHERE provider = :provider
                        ORDER BY created_at DESC, id LIMIT 1)""")
                    .param("provider", credential.provider()).update();
        }
        changes.publishLocallyAfterCommit("platform_credential", id.toString());
        audit.record(AuditEvent.success("credential.deleted").by(admin).target("platform_credential", id)
                .detail("provider", credential.provider()).detail("fingerprint", credential.fingerprint())
                .detail("scope", "platform").build());
    }

    /** A platform credential and what its live provider said of it. */
    record VerifiedPlatformCredential(boolean valid, String detail, PlatformCredentialView credential) {
    }

    /** Checks the credential against its live provider; the result is recorded on it and in the audit log. */
    @Transactional
    VerifiedPlatformCredential verify(Caller.User admin, UUID id) {
        PlatformCredentialView credential = find(id);
        Provider provider = provider(credential.provider());
        StoredCredential stored = byId(id, provider).orElseThrow(() -> LatchkeyException.notFound("Credential"));
        Verification verification = verifier.verify(sealer.open(stored));
        jdbc.sql("UPDATE platform_credentials SET verified_at = :now, verification = :result WHERE id = :id")
                .param("now", Timestamp.from(clock.instant()))
                .param("result", verification.valid() ? "valid" : "invalid").param("id", id).update();
        AuditEvent.Builder event = verification.valid() ? AuditEvent.success("credential.verified")
                : AuditEvent.failure("credential.verified");
        audit.record(event.by(admin).target("platform_credential", id).detail("provider", provider.id())
                .detail("result", verification.detail()).detail("scope", "platform").build());
        return new VerifiedPlatformCredential(verification.valid(), verification.detail(), find(id));
    }

    /** The provider's default platform credential, sealed, from the cache. */
    Optional<StoredCredential> defaultFor(Provider provider) {
        return cache.get(new Selection(provider, null));
    }

    /** One platform credential by id (pinned by a session token or a call), sealed, from the cache. */
    Optional<StoredCredential> byId(UUID id, Provider provider) {
        return cache.get(new Selection(provider, id));
    }

    private record Selection(Provider provider, UUID id) {
    }

    private Optional<StoredCredential> load(Selection selection) {
        return (selection.id() != null
                ? jdbc.sql("SELECT id, config::text AS config_json, secret_ciphertext, requests_per_minute,"
                        + " requests_per_month FROM platform_credentials WHERE provider = :provider AND id = :id")
                        .param("id", selection.id())
                : jdbc.sql("SELECT id, config::text AS config_json, secret_ciphertext, requests_per_minute,"
                        + " requests_per_month FROM platform_credentials WHERE provider = :provider AND is_default"))
                .param("provider", selection.provider().id())
                .query((rs, n) -> StoredCredential.managed(rs.getObject("id", UUID.class), selection.provider(),
                        Map.copyOf(json.readValue(rs.getString("config_json"), STRING_MAP)),
                        rs.getBytes("secret_ciphertext"), (Integer) rs.getObject("requests_per_minute"),
                        (Long) rs.getObject("requests_per_month")))
                .optional();
    }

    private PlatformCredentialView find(UUID id) {
        return jdbc.sql("SELECT *, config::text AS config_json FROM platform_credentials WHERE id = :id")
                .param("id", id).query((rs, n) -> view(rs)).optional()
                .orElseThrow(() -> LatchkeyException.notFound("Credential"));
    }

    /** Serializes default changes per provider. */
    private void lockProvider(Provider provider) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", LOCK + provider.id()).query().singleRow();
    }

    private PlatformCredentialView view(ResultSet rs) throws SQLException {
        return new PlatformCredentialView(rs.getObject("id", UUID.class), rs.getString("provider"),
                rs.getString("label"), json.readValue(rs.getString("config_json"), STRING_MAP), rs.getString("last4"),
                rs.getString("fingerprint"), rs.getBoolean("is_default"),
                new PlatformCredentialView.Cap((Integer) rs.getObject("requests_per_minute"),
                        (Long) rs.getObject("requests_per_month")),
                instant(rs, "created_at"), instant(rs, "rotated_at"), instant(rs, "verified_at"),
                rs.getString("verification"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Provider provider(String id) {
        return Provider.parse(id).orElseThrow(() -> LatchkeyException.invalidField("provider",
                "must be one of " + Arrays.stream(Provider.values()).map(Provider::id).toList()));
    }
}
