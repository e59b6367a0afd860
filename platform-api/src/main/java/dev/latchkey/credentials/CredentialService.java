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

import dev.latchkey.accounts.OrgAccess;
import dev.latchkey.accounts.Permission;
import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.changes.CacheLoaders;
import dev.latchkey.changes.ChangeFeed;
import dev.latchkey.changes.RefreshingCache;
import dev.latchkey.crypto.DataKeyScope;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;
import dev.latchkey.kernel.Provider;

/**
 * Tenants' provider credentials. Secrets are write-only: they are validated, encrypted under
 * the organization's data key (bound to the credential's id) and never returned; only their
 * last four characters and a fingerprint are.
 */
@Service
public class CredentialService {

    static final ProblemType NO_CREDENTIAL = new ProblemType("/problems/no-credential", 409,
            "No credential for this provider");
    public static final ProblemType MANAGED_ACCESS_NOT_ENABLED = new ProblemType(
            "/problems/managed-access-not-enabled", 403, "Managed access is not enabled");

    private final ProviderCredentialRepository credentials;
    private final CredentialSealer sealer;
    private final PlatformCredentialService platform;
    private final ManagedAccessPolicy managedAccess;
    private final OrgAccess orgAccess;
    private final AuditService audit;
    private final ProviderSettings settings;
    private final Clock clock;
    private final CredentialVerifier verifier;
    private final ChangeFeed changes;
    private final HostGuard hosts;
    private final RefreshingCache<Selection, Optional<StoredCredential>> cache;

    CredentialService(ProviderCredentialRepository credentials, CredentialSealer sealer, PlatformCredentialService platform,
            ManagedAccessPolicy managedAccess, OrgAccess orgAccess, AuditService audit,
            ProviderSettings settings, Clock clock, CredentialVerifier verifier, HostGuard hosts, CacheLoaders loaders,
            ChangeFeed changes) {
        this.sealer = sealer;
        this.platform = platform;
        this.managedAccess = managedAccess;
        this.verifier = verifier;
        this.hosts = hosts;
        // A change reaches every instance at once through the change feed; the second is the backstop.
        this.cache = loaders.cache(Duration.ofSeconds(1), 100_000, this::load);
        this.changes = changes;
        changes.subscribe("credential", change -> {
            if (change.everything()) {
                cache.invalidateAll();
            } else {
                UUID orgId = UUID.fromString(change.id());
                cache.invalidateKeys(selection -> selection.orgId().equals(orgId));
            }
        });
        this.credentials = credentials;
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
        boolean first = credentials.countByOrgIdAndProvider(orgId, provider.id()) == 0;
        CredentialSealer.Sealed sealed = seal(orgId, id, provider, secret);
        ProviderCredential credential = credentials.saveAndFlush(new ProviderCredential(id, orgId, provider,
                request.label().trim(), config, sealed, first,
                caller instanceof Caller.User user ? user.userId() : null, clock.instant()));
        changes.publishLocallyAfterCommit("credential", orgId.toString());
        audit.record(AuditEvent.success("credential.created").by(caller).org(orgId).target("credential", id)
                .detail("provider", provider.id()).detail("fingerprint", sealed.fingerprint())
                .detail("default", first).build());
        return credential.view();
    }

    @Transactional(readOnly = true)
    public List<CredentialView> list(Caller caller, UUID orgId) {
        orgAccess.require(caller, orgId, Permission.CREDENTIALS_READ);
        return credentials.findByOrgIdOrderByProviderAscCreatedAtAscIdAsc(orgId).stream()
                .map(ProviderCredential::view).toList();
    }

    @Transactional(readOnly = true)
    public CredentialView get(Caller caller, UUID orgId, UUID id) {
        orgAccess.require(caller, orgId, Permission.CREDENTIALS_READ);
        return find(orgId, id).view();
    }

    @Transactional
    public CredentialView rotateSecret(Caller caller, UUID orgId, UUID id, Map<String, Object> newSecret) {
        orgAccess.require(caller, orgId, Permission.CREDENTIALS_MANAGE);
        ProviderCredential credential = find(orgId, id);
        Provider provider = provider(credential.provider());
        CredentialSealer.Sealed sealed = seal(orgId, id, provider,
                CredentialSchema.validateSecret(provider, newSecret, settings, hosts));
        credential.rotate(sealed, clock.instant());
        credentials.flush();
        changes.publishLocallyAfterCommit("credential", orgId.toString());
        audit.record(AuditEvent.success("credential.rotated").by(caller).org(orgId).target("credential", id)
                .detail("provider", provider.id()).detail("fingerprint", sealed.fingerprint()).build());
        return credential.view();
    }

    @Transactional
    public CredentialView makeDefault(Caller caller, UUID orgId, UUID id) {
        orgAccess.require(caller, orgId, Permission.CREDENTIALS_MANAGE);
        ProviderCredential credential = find(orgId, id);
        lockProvider(orgId, provider(credential.provider()));
        // The old default steps down first: at most one default per provider, checked row by row.
        credentials.findByOrgIdAndProvider(orgId, credential.provider()).stream()
                .filter(other -> other != credential && other.isDefault()).forEach(other -> other.makeDefault(false));
        credentials.flush();
        credential.makeDefault(true);
        credentials.flush();
        changes.publishLocallyAfterCommit("credential", orgId.toString());
        audit.record(AuditEvent.success("credential.default_changed").by(caller).org(orgId)
                .target("credential", id).detail("provider", credential.provider()).build());
        return credential.view();
    }

    /** Deletes the credential; when it was the default, the newest remaining one takes its place. */
    @Transactional
    public void delete(Caller caller, UUID orgId, UUID id) {
        orgAccess.require(caller, orgId, Permission.CREDENTIALS_MANAGE);
        ProviderCredential credential = find(orgId, id);
        lockProvider(orgId, provider(credential.provider()));
        credentials.delete(credential);
        credentials.flush();
        if (credential.isDefault()) {
            credentials.findFirstByOrgIdAndProviderOrderByCreatedAtDescIdAsc(orgId, credential.provider())
                    .ifPresent(newest -> newest.makeDefault(true));
            credentials.flush();
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
        ProviderCredential credential = find(orgId, id);
        Provider provider = provider(credential.provider());
        Verification verification = verifier.verify(use(caller, orgId, provider, new CredentialChoice.Stored(id)));
        credential.verified(verification.valid(), clock.instant());
        credentials.flush();
        AuditEvent.Builder event = verification.valid() ? AuditEvent.success("credential.verified")
                : AuditEvent.failure("credential.verified");
        audit.record(event.by(caller).org(orgId).target("credential", id).detail("provider", provider.id())
                .detail("result", verification.detail()).build());
        return new VerifiedCredential(verification.valid(), verification.detail(), credential.view());
    }

    /**
     * Decrypts the credential an upstream call needs (as {@link #resolve} picks it) and counts the
     * use ({@code credential.used}) in the caller's transaction. For uses that are not billed
     * (verification, room reads, hang-ups).
     */
    @Transactional
    public DecryptedCredential use(Caller caller, UUID orgId, Provider provider, CredentialChoice choice) {
        StoredCredential stored = resolve(orgId, provider, choice);
        DecryptedCredential credential = sealer.open(stored);
        audit.credentialUsed(orgId, stored.id(), provider.id(), caller, stored.managed());
        return credential;
    }

    /**
     * Decrypts the credential a session token or a call was pinned to, for work Latchkey does on its
     * own, such as ending a call at its session cap: counted with the system as the actor. A managed
     * credential is the platform's, whatever the organization's managed access is now: ending a
     * call must always work.
     */
    @Transactional
    public DecryptedCredential useAsSystem(UUID orgId, Provider provider, UUID credentialId, boolean managed) {
        StoredCredential stored = pinned(orgId, provider, credentialId, managed, false);
        DecryptedCredential credential = sealer.open(stored);
        audit.credentialUsed(orgId, stored.id(), provider.id(), null, managed);
        return credential;
    }

    /** {@link #useAsSystem} for an app's own request (a hang-up), counted in its name. */
    @Transactional
    public DecryptedCredential usePinned(Caller caller, UUID orgId, Provider provider, UUID credentialId,
            boolean managed) {
        StoredCredential stored = pinned(orgId, provider, credentialId, managed, false);
        DecryptedCredential credential = sealer.open(stored);
        audit.credentialUsed(orgId, stored.id(), provider.id(), caller, managed);
        return credential;
    }

    /**
     * Decrypts a resolved credential for a billed request. The metering path counts the use in
     * the same group commit as the request's ledger row ({@code credential_usage}), so this
     * writes nothing; nothing else may call it.
     */
    public DecryptedCredential decryptForBilledUse(StoredCredential stored) {
        return sealer.open(stored);
    }

    /**
     * The credential a broker request gets, sealed, from caches of ciphertexts that every instance
     * drops when a credential, a plan or managed access changes:
     * <ul>
     * <li>{@link CredentialChoice.Stored}: that credential of the organization (404 when it has no
     *     such credential of the provider);</li>
     * <li>{@link CredentialChoice.Managed}: the platform's default credential of the provider, for an
     *     organization with managed access to it (403 {@code /problems/managed-access-not-enabled}
     *     otherwise; 409 when the platform has none);</li>
     * <li>{@link CredentialChoice.Default}: the organization's default for the provider, else, with
     *     managed access, the platform's; else 409 {@code /problems/no-credential}.</li>
     * </ul>
     */
    public StoredCredential resolve(UUID orgId, Provider provider, CredentialChoice choice) {
        if (choice instanceof CredentialChoice.Stored stored) {
            return cache.get(new Selection(orgId, provider, stored.id()))
                    .orElseThrow(() -> LatchkeyException.notFound("Credential"));
        }
        if (choice instanceof CredentialChoice.Managed) {
            if (!managedAccess.allows(orgId, provider)) {
                throw new LatchkeyException(MANAGED_ACCESS_NOT_ENABLED, "The organization has no managed access to "
                        + provider + ": use a credential of its own, or ask Latchkey to enable managed access");
            }
            return platform.defaultFor(provider).orElseThrow(() -> new LatchkeyException(NO_CREDENTIAL,
                    "Latchkey offers no managed " + provider + " credential at the moment"));
        }
        return cache.get(new Selection(orgId, provider, null))
                .or(() -> managedAccess.allows(orgId, provider) ? platform.defaultFor(provider) : Optional.empty())
                .orElseThrow(() -> new LatchkeyException(NO_CREDENTIAL, "The organization has no " + provider
                        + " credential; add one first"));
    }

    /**
     * The credential a session token was pinned to when it was minted: the organization's own, or
     * (still only with managed access) the platform's.
     *
     * @throws LatchkeyException 404 when it is gone, 403 when managed access was withdrawn since
     */
    public StoredCredential resolvePinned(UUID orgId, Provider provider, UUID credentialId, boolean managed) {
        return pinned(orgId, provider, credentialId, managed, true);
    }

    private StoredCredential pinned(UUID orgId, Provider provider, UUID credentialId, boolean managed,
            boolean checkAccess) {
        if (!managed) {
            return resolve(orgId, provider, new CredentialChoice.Stored(credentialId));
        }
        if (checkAccess && !managedAccess.allows(orgId, provider)) {
            throw new LatchkeyException(MANAGED_ACCESS_NOT_ENABLED, "The organization no longer has managed access"
                    + " to " + provider);
        }
        return platform.byId(credentialId, provider).orElseThrow(() -> LatchkeyException.notFound("Credential"));
    }

    /**
     * The config of one of the organization's own credentials (the named one or its default),
     * without decrypting its secret: what a key the caller brings needs besides itself (an Azure
     * endpoint). Never the platform's.
     */
    public Map<String, String> ownConfigOf(UUID orgId, Provider provider, Optional<UUID> credentialId) {
        return cache.get(new Selection(orgId, provider, credentialId.orElse(null)))
                .orElseThrow(() -> credentialId.isPresent() ? LatchkeyException.notFound("Credential")
                        : new LatchkeyException(NO_CREDENTIAL, "The organization has no " + provider
                                + " credential; a key passed in X-Provider-Auth takes its config from one"))
                .config();
    }

    /** Which credential: a named one, or the default (null id). */
    private record Selection(UUID orgId, Provider provider, UUID credentialId) {
    }

    /** A cache load, on a loader thread: one read through the repository, no transaction of its own. */
    private Optional<StoredCredential> load(Selection selection) {
        String provider = selection.provider().id();
        return (selection.credentialId() != null
                ? credentials.findByOrgIdAndProviderAndId(selection.orgId(), provider, selection.credentialId())
                : credentials.findByOrgIdAndProviderAndIsDefaultTrue(selection.orgId(), provider))
                .map(stored -> new StoredCredential(stored.id(), selection.orgId(), selection.provider(),
                        Map.copyOf(stored.config()), stored.secretCiphertext()));
    }

    private CredentialSealer.Sealed seal(UUID orgId, UUID id, Provider provider, Map<String, String> secret) {
        return sealer.seal(DataKeyScope.organization(orgId), id, provider, secret);
    }

    private ProviderCredential find(UUID orgId, UUID id) {
        return credentials.findByOrgIdAndId(orgId, id).orElseThrow(() -> LatchkeyException.notFound("Credential"));
    }

    /** Serializes default changes per organization and provider. */
    private void lockProvider(UUID orgId, Provider provider) {
        credentials.lock("credentials:" + orgId + ":" + provider.id());
    }

    private static Provider provider(String id) {
        return Provider.parse(id).orElseThrow(() -> LatchkeyException.invalidField("provider",
                "must be one of " + Arrays.stream(Provider.values()).map(Provider::id).toList()));
    }
}
