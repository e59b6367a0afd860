package dev.latchkey.credentials;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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

    private static final String LOCK = "platform-credentials:";

    private final PlatformCredentialRepository credentials;
    private final CredentialSealer sealer;
    private final EnvelopeEncryption encryption;
    private final AuditService audit;
    private final ProviderSettings settings;
    private final HostGuard hosts;
    private final CredentialVerifier verifier;
    private final ChangeFeed changes;
    private final Clock clock;
    private final RefreshingCache<Selection, Optional<StoredCredential>> cache;

    PlatformCredentialService(PlatformCredentialRepository credentials, CredentialSealer sealer, EnvelopeEncryption encryption,
            AuditService audit, ProviderSettings settings, HostGuard hosts, CredentialVerifier verifier,
            ChangeFeed changes, CacheLoaders loaders, Clock clock) {
        this.credentials = credentials;
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
        boolean first = credentials.countByProvider(provider.id()) == 0;
        CredentialSealer.Sealed sealed = sealer.seal(DataKeyScope.platformCredential(id), id, provider, secret);
        PlatformCredential credential = credentials.saveAndFlush(new PlatformCredential(id, provider,
                request.label().trim(), config, sealed, first, cap, admin.userId(), clock.instant()));
        changes.publishLocallyAfterCommit("platform_credential", id.toString());
        audit.record(AuditEvent.success("credential.created").by(admin).target("platform_credential", id)
                .detail("provider", provider.id()).detail("fingerprint", sealed.fingerprint())
                .detail("default", first).detail("scope", "platform").build());
        return credential.view();
    }

    @Transactional(readOnly = true)
    List<PlatformCredentialView> list() {
        return credentials.findAllByOrderByProviderAscCreatedAtAscIdAsc().stream().map(PlatformCredential::view).toList();
    }

    @Transactional(readOnly = true)
    PlatformCredentialView get(UUID id) {
        return find(id).view();
    }

    @Transactional
    PlatformCredentialView rotateSecret(Caller.User admin, UUID id, Map<String, Object> newSecret) {
        PlatformCredential credential = find(id);
        Provider provider = provider(credential.provider());
        CredentialSealer.Sealed sealed = sealer.seal(DataKeyScope.platformCredential(id), id, provider,
                CredentialSchema.validateSecret(provider, newSecret, settings, hosts));
        credential.rotate(sealed, clock.instant());
        credentials.flush();
        changes.publishLocallyAfterCommit("platform_credential", id.toString());
        audit.record(AuditEvent.success("credential.rotated").by(admin).target("platform_credential", id)
                .detail("provider", provider.id()).detail("fingerprint", sealed.fingerprint())
                .detail("scope", "platform").build());
        return credential.view();
    }

    /** Sets (or, with nulls, lifts) the platform-wide caps; every instance applies them within the cache's TTL. */
    @Transactional
    PlatformCredentialView changeCap(Caller.User admin, UUID id, PlatformCredentialView.Cap cap) {
        PlatformCredential existing = find(id);
        existing.changeCap(cap);
        credentials.flush();
        changes.publishLocallyAfterCommit("platform_credential", id.toString());
        audit.record(AuditEvent.success("credential.cap_changed").by(admin).target("platform_credential", id)
                .detail("provider", existing.provider())
                .detail("requests_per_minute", cap.requestsPerMinute())
                .detail("requests_per_month", cap.requestsPerMonth()).build());
        return existing.view();
    }

    @Transactional
    PlatformCredentialView makeDefault(Caller.User admin, UUID id) {
        PlatformCredential credential = find(id);
        lockProvider(provider(credential.provider()));
        // The old default steps down first: at most one default per provider, checked row by row.
        credentials.findByProvider(credential.provider()).stream()
                .filter(other -> other != credential && other.isDefault()).forEach(other -> other.makeDefault(false));
        credentials.flush();
        credential.makeDefault(true);
        credentials.flush();
        changes.publishLocallyAfterCommit("platform_credential", id.toString());
        audit.record(AuditEvent.success("credential.default_changed").by(admin).target("platform_credential", id)
                .detail("provider", credential.provider()).detail("scope", "platform").build());
        return credential.view();
    }

    /**
     * Deletes the credential and destroys its data key in the same transaction (crypto-shredding):
     * no copy of its ciphertext decrypts again. When it was the default, the newest remaining one of
     * its provider takes its place. Session tokens pinned to it go with it; calls it started can no
     * longer be ended from the server.
     */
    @Transactional
    void delete(Caller.User admin, UUID id) {
        PlatformCredential credential = find(id);
        lockProvider(provider(credential.provider()));
        credentials.delete(credential);
        credentials.flush();
        encryption.destroy(DataKeyScope.platformCredential(id));
        if (credential.isDefault()) {
            credentials.findFirstByProviderOrderByCreatedAtDescIdAsc(credential.provider())
                    .ifPresent(newest -> newest.makeDefault(true));
            credentials.flush();
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
        PlatformCredential credential = find(id);
        Provider provider = provider(credential.provider());
        StoredCredential stored = byId(id, provider).orElseThrow(() -> LatchkeyException.notFound("Credential"));
        Verification verification = verifier.verify(sealer.open(stored));
        credential.verified(verification.valid(), clock.instant());
        credentials.flush();
        AuditEvent.Builder event = verification.valid() ? AuditEvent.success("credential.verified")
                : AuditEvent.failure("credential.verified");
        audit.record(event.by(admin).target("platform_credential", id).detail("provider", provider.id())
                .detail("result", verification.detail()).detail("scope", "platform").build());
        return new VerifiedPlatformCredential(verification.valid(), verification.detail(), credential.view());
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

    /** A cache load, on a loader thread: one read through the repository, no transaction of its own. */
    private Optional<StoredCredential> load(Selection selection) {
        String provider = selection.provider().id();
        return (selection.id() != null ? credentials.findByProviderAndId(provider, selection.id())
                : credentials.findByProviderAndIsDefaultTrue(provider))
                .map(stored -> StoredCredential.managed(stored.id(), selection.provider(), Map.copyOf(stored.config()),
                        stored.secretCiphertext(), stored.requestsPerMinute(), stored.requestsPerMonth()));
    }

    private PlatformCredential find(UUID id) {
        return credentials.findById(id).orElseThrow(() -> LatchkeyException.notFound("Credential"));
    }

    /** Serializes default changes per provider. */
    private void lockProvider(Provider provider) {
        credentials.lock(LOCK + provider.id());
    }

    private static Provider provider(String id) {
        return Provider.parse(id).orElseThrow(() -> LatchkeyException.invalidField("provider",
                "must be one of " + Arrays.stream(Provider.values()).map(Provider::id).toList()));
    }
}
