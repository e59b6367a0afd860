package dev.latchkey.credentials;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.accounts.OrgAccess;
import dev.latchkey.accounts.Permission;
import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.changes.CacheLoaders;
import dev.latchkey.changes.ChangeFeed;
import dev.latchkey.changes.RefreshingCache;
import dev.latchkey.crypto.EnvelopeEncryption;
import dev.latchkey.web.Caller;
import dev.latchkey.web.LatchkeyException;
import dev.latchkey.web.ProblemType;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tenants' provider credentials. Secrets are write-only: they are validated, encrypted under
 * the organization's data key (bound to the credential's id) and never returned; only their
 * last four characters and a fingerprint are.
 */
@Service
public class CredentialService {

    static final ProblemType NO_CREDENTIAL = new ProblemType("/problems/no-credential", 409,
            "No credential for this provider");
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final EnvelopeEncryption encryption;
    private final OrgAccess orgAccess;
    private final AuditService audit;
    private final ProviderSettings settings;
    private final Clock clock;
    private final CredentialVerifier verifier;
    private final ChangeFeed changes;
    private final HostGuard hosts;
    private final JsonMapper json = JsonMapper.builder().build();
    private final RefreshingCache<Selection, Optional<StoredCredential>> cache;

    CredentialService(JdbcClient jdbc, EnvelopeEncryption encryption, OrgAccess orgAccess, AuditService audit,
            ProviderSettings settings, Clock clock, CredentialVerifier verifier, HostGuard hosts, CacheLoaders loaders,
            ChangeFeed changes, @Value("${latchkey.credentials.cache-ttl:1s}") Duration cacheTtl) {
        this.verifier = verifier;
        this.hosts = hosts;
        this.cache = loaders.cache(cacheTtl, 100_000, this::load);
        this.changes = changes;
        changes.subscribe("credential", change -> {
            if (change.everything()) {
                cache.invalidateAll();
            } else {
                UUID orgId = UUID.fromString(change.id());
                cache.invalidateKeys(selection -> selection.orgId().equals(orgId));
            }
        });
        this.jdbc = jdbc;
        this.encryption = encryption;
        this.orgAccess = orgAccess;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
    }

    public record NewCredential(String provider, String label, Map<String, Object> secret,
            Map<String, Object> config) {
        @Override
        public String toString() {
            return "NewCredential[provider=" + provider + ", label=" + label + ", secret=***]";
        }
    }

    @Transactional
    public CredentialView create(Caller caller, UUID orgId, NewCredential request) {
        orgAccess.require(caller, orgId, Permission.CREDENTIALS_MANAGE);
        Provider provider = provider(request.provider());
        Map<String, String> secret = CredentialSchema.validateSecret(provider, request.secret(), settings, hosts);
        Map<String, String> config = CredentialSchema.validateConfig(provider, request.config(), settings, hosts);
        UUID id = UUID.randomUUID();
        lockProvider(orgId, provider);
        boolean first = jdbc.sql("SELECT count(*) FROM provider_credentials WHERE org_id = :orgId AND provider = :provider")
                .param("orgId", orgId).param("provider", provider.id()).query(Long.class).single() == 0;
        Sealed sealed = seal(orgId, id, provider, secret);
        Instant now = clock.instant();
        jdbc.sql("""
                INSERT INTO provider_credentials (id, org_id, provider, label, config, secret_ciphertext, last4,
                    fingerprint, is_default, created_by, created_at)
                VALUES (:id, :orgId, :provider, :label, CAST(:config AS jsonb), :ciphertext, :last4, :fingerprint,
                    :isDefault, :createdBy, :now)""")
                .param("id", id).param("orgId", orgId).param("provider", provider.id())
                .param("label", request.label().trim()).param("config", json.writeValueAsString(config))
                .param("ciphertext", sealed.ciphertext()).param("last4", sealed.last4())
                .param("fingerprint", sealed.fingerprint()).param("isDefault", first)
                .param("createdBy", caller instanceof Caller.User user ? user.userId() : null)
                .param("now", Timestamp.from(now))
                .update();
        changes.publishLocallyAfterCommit("credential", orgId.toString());
        audit.record(AuditEvent.success("credential.created").by(caller).org(orgId).target("credential", id)
                .detail("provider", provider.id()).detail("fingerprint", sealed.fingerprint())
                .detail("default", first).build());
        return find(orgId, id);
    }

    @Transactional(readOnly = true)
    public List<CredentialView> list(Caller caller, UUID orgId) {
        orgAccess.require(caller, orgId, Permission.CREDENTIALS_READ);
        return jdbc.sql("SELECT * , config::text AS config_json FROM provider_credentials WHERE org_id = :orgId"
                + " ORDER BY provider, created_at, id")
                .param("orgId", orgId).query((rs, n) -> view(rs)).list();
    }

    @Transactional(readOnly = true)
    public CredentialView get(Caller caller, UUID orgId, UUID id) {
        orgAccess.require(caller, orgId, Permission.CREDENTIALS_READ);
        return find(orgId, id);
    }

    @Transactional
    public CredentialView rotateSecret(Caller caller, UUID orgId, UUID id, Map<String, Object> newSecret) {
        orgAccess.require(caller, orgId, Permission.CREDENTIALS_MANAGE);
        CredentialView existing = find(orgId, id);
        Provider provider = provider(existing.provider());
        Sealed sealed = seal(orgId, id, provider, CredentialSchema.validateSecret(provider, newSecret, settings, hosts));
        jdbc.sql("""
                UPDATE provider_credentials SET secret_ciphertext = :ciphertext, last4 = :last4,
                    fingerprint = :fingerprint, rotated_at = :now, verified_at = NULL, verification = NULL
                WHERE org_id = :orgId AND id = :id""")
                .param("ciphertext", sealed.ciphertext()).param("last4", sealed.last4())
                .param("fingerprint", sealed.fingerprint()).param("now", Timestamp.from(clock.instant()))
                .param("orgId", orgId).param("id", id)
                .update();
        changes.publishLocallyAfterCommit("credential", orgId.toString());
        audit.record(AuditEvent.success("credential.rotated").by(caller).org(orgId).target("credential", id)
                .detail("provider", provider.id()).detail("fingerprint", sealed.fingerprint()).build());
        return find(orgId, id);
    }

    @Transactional
    public CredentialView makeDefault(Caller caller, UUID orgId, UUID id) {
        orgAccess.require(caller, orgId, Permission.CREDENTIALS_MANAGE);
        CredentialView credential = find(orgId, id);
        lockProvider(orgId, provider(credential.provider()));
        jdbc.sql("UPDATE provider_credentials SET is_default = (id = :id) WHERE org_id = :orgId AND provider = :provider")
                .param("id", id).param("orgId", orgId).param("provider", credential.provider()).update();
        changes.publishLocallyAfterCommit("credential", orgId.toString());
        audit.record(AuditEvent.success("credential.default_changed").by(caller).org(orgId)
                .target("credential", id).detail("provider", credential.provider()).build());
        return find(orgId, id);
    }

    /** Deletes the credential; when it was the default, the newest remaining one takes its place. */
    @Transactional
    public void delete(Caller caller, UUID orgId, UUID id) {
        orgAccess.require(caller, orgId, Permission.CREDENTIALS_MANAGE);
        CredentialView credential = find(orgId, id);
        lockProvider(orgId, provider(credential.provider()));
        jdbc.sql("DELETE FROM provider_credentials WHERE org_id = :orgId AND id = :id")
                .param("orgId", orgId).param("id", id).update();
        if (credential.isDefault()) {
            jdbc.sql("""
                    UPDATE provider_credentials SET is_default = true WHERE id = (
                        SELECT id FROM provider_credentials WHERE org_id = :orgId AND provider = :provider
                        ORDER BY created_at DESC, id LIMIT 1)""")
                    .param("orgId", orgId).param("provider", credential.provider()).update();
        }
        changes.publishLocallyAfterCommit("credential", orgId.toString());
        audit.record(AuditEvent.success("credential.deleted").by(caller).org(orgId).target("credential", id)
                .detail("provider", credential.provider()).detail("fingerprint", credential.fingerprint()).build());
    }

    /** The credential and what its live provider said of it. */
    public record VerifiedCredential(boolean valid, String detail, CredentialView credential) {
    }

    /** Checks the credential against its live provider and records the result on it and in the audit log. */
    @Transactional
    public VerifiedCredential verify(Caller caller, UUID orgId, UUID id) {
        orgAccess.require(caller, orgId, Permission.CREDENTIALS_MANAGE);
        CredentialView credential = find(orgId, id);
        Provider provider = provider(credential.provider());
        Verification verification = verifier.verify(use(caller, orgId, provider, Optional.of(id)));
        jdbc.sql("UPDATE provider_credentials SET verified_at = :now, verification = :result WHERE org_id = :orgId AND id = :id")
                .param("now", Timestamp.from(clock.instant()))
                .param("result", verification.valid() ? "valid" : "invalid")
                .param("orgId", orgId).param("id", id).update();
        AuditEvent.Builder event = verification.valid() ? AuditEvent.success("credential.verified")
                : AuditEvent.failure("credential.verified");
        audit.record(event.by(caller).org(orgId).target("credential", id).detail("provider", provider.id())
                .detail("result", verification.detail()).build());
        return new VerifiedCredential(verification.valid(), verification.detail(), find(orgId, id));
    }

    /**
     * Decrypts the credential an upstream call needs: the one named, or the organization's
     * default for the provider, and counts the use ({@code credential.used}) in the caller's
     * transaction. For uses that are not billed (verification, room reads, hang-ups).
     */
    @Transactional
    public DecryptedCredential use(Caller caller, UUID orgId, Provider provider, Optional<UUID> credentialId) {
        StoredCredential stored = resolve(orgId, provider, credentialId);
        DecryptedCredential credential = decrypt(stored);
        audit.credentialUsed(orgId, stored.id(), provider.id(), caller);
        return credential;
    }

    /**
     * {@link #use} for work Latchkey does on its own, such as ending a call at its session cap:
     * counted with the system as the actor.
     */
    @Transactional
    public DecryptedCredential useAsSystem(UUID orgId, Provider provider, UUID credentialId) {
        StoredCredential stored = resolve(orgId, provider, Optional.of(credentialId));
        DecryptedCredential credential = decrypt(stored);
        audit.credentialUsed(orgId, stored.id(), provider.id(), null);
        return credential;
    }

    /**
     * Decrypts a resolved credential for a billed request. The metering path counts the use in
     * the same group commit as the request's ledger row ({@code credential_usage}), so this
     * writes nothing; nothing else may call it.
     */
    public DecryptedCredential decryptForBilledUse(StoredCredential stored) {
        return decrypt(stored);
    }

    private DecryptedCredential decrypt(StoredCredential stored) {
        byte[] plaintext = encryption.decrypt(stored.orgId(), context(stored.id()), stored.ciphertext());
        try {
            Map<String, String> values = json.readValue(plaintext, STRING_MAP);
            Map<String, Secret> secrets = new LinkedHashMap<>();
            values.forEach((name, value) -> secrets.put(name, Secret.of(value)));
            return new DecryptedCredential(stored.id(), stored.orgId(), stored.provider(), stored.config(),
                    Map.copyOf(secrets));
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * The credential {@link #use} would pick (the named one or the default), sealed: from the
     * cache of ciphertexts, which every instance drops when the organization's credentials change.
     *
     * @throws LatchkeyException 404 for an unknown named credential, 409 when there is no default
     */
    public StoredCredential resolve(UUID orgId, Provider provider, Optional<UUID> credentialId) {
        return cache.get(new Selection(orgId, provider, credentialId.orElse(null)))
                .orElseThrow(() -> credentialId.isPresent() ? LatchkeyException.notFound("Credential")
                        : new LatchkeyException(NO_CREDENTIAL, "The organization has no " + provider
                                + " credential; add one first"));
    }

    /** The config of the credential {@link #use} would pick, without decrypting its secret. */
    public Map<String, String> configOf(UUID orgId, Provider provider, Optional<UUID> credentialId) {
        return resolve(orgId, provider, credentialId).config();
    }

    /** Which credential: a named one, or the default (null id). */
    private record Selection(UUID orgId, Provider provider, UUID credentialId) {
    }

    private Optional<StoredCredential> load(Selection selection) {
        return (selection.credentialId() != null
                ? jdbc.sql("SELECT id, config::text AS config_json, secret_ciphertext FROM provider_credentials"
                        + " WHERE org_id = :orgId AND provider = :provider AND id = :id").param("id", selection.credentialId())
                : jdbc.sql("SELECT id, config::text AS config_json, secret_ciphertext FROM provider_credentials"
                        + " WHERE org_id = :orgId AND provider = :provider AND is_default"))
                .param("orgId", selection.orgId()).param("provider", selection.provider().id())
                .query((rs, n) -> new StoredCredential(rs.getObject("id", UUID.class), selection.orgId(),
                        selection.provider(), Map.copyOf(json.readValue(rs.getString("config_json"), STRING_MAP)),
                        rs.getBytes("secret_ciphertext")))
                .optional();
    }

    private record Sealed(byte[] ciphertext, String last4, String fingerprint) {
    }

    private Sealed seal(UUID orgId, UUID id, Provider provider, Map<String, String> secret) {
        byte[] plaintext = json.writeValueAsBytes(secret);
        try {
            String primary = secret.get(CredentialSchema.primarySecretField(provider));
            return new Sealed(encryption.encrypt(orgId, context(id), plaintext),
                    primary.substring(primary.length() - 4),
                    encryption.fingerprint(orgId, primary.getBytes(StandardCharsets.UTF_8)));
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private CredentialView find(UUID orgId, UUID id) {
        return jdbc.sql("SELECT *, config::text AS config_json FROM provider_credentials WHERE org_id = :orgId AND id = :id")
                .param("orgId", orgId).param("id", id)
                .query((rs, n) -> view(rs)).optional()
                .orElseThrow(() -> LatchkeyException.notFound("Credential"));
    }

    /** Serializes default changes per organization and provider. */
    private void lockProvider(UUID orgId, Provider provider) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", "credentials:" + orgId + ":" + provider.id()).query().singleRow();
    }

    private CredentialView view(ResultSet rs) throws SQLException {
        return new CredentialView(rs.getObject("id", UUID.class), rs.getString("provider"), rs.getString("label"),
                json.readValue(rs.getString("config_json"), STRING_MAP), rs.getString("last4"),
                rs.getString("fingerprint"), rs.getBoolean("is_default"), instant(rs, "created_at"),
                instant(rs, "rotated_at"), instant(rs, "verified_at"), rs.getString("verification"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    static String context(UUID credentialId) {
        return "credential:" + credentialId;
    }

    private static Provider provider(String id) {
        return Provider.parse(id).orElseThrow(() -> LatchkeyException.invalidField("provider",
                "must be one of " + Arrays.stream(Provider.values()).map(Provider::id).toList()));
    }
}
