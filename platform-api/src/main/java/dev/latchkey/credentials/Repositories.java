package dev.latchkey.credentials;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.NoRepositoryBean;

/** What both credential repositories share: the lock that serializes changes of a provider's default. */
@NoRepositoryBean
interface CredentialRepository<T extends SealedCredential> extends JpaRepository<T, UUID> {

    /** Serializes default changes of one key (a transaction-scoped advisory lock). */
    @Query(nativeQuery = true, value = "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))) AS locked")
    int lock(String key);
}

interface ProviderCredentialRepository extends CredentialRepository<ProviderCredential> {

    List<ProviderCredential> findByOrgIdOrderByProviderAscCreatedAtAscIdAsc(UUID orgId);

    Optional<ProviderCredential> findByOrgIdAndId(UUID orgId, UUID id);

    List<ProviderCredential> findByOrgIdAndProvider(UUID orgId, String provider);

    Optional<ProviderCredential> findByOrgIdAndProviderAndId(UUID orgId, String provider, UUID id);

    Optional<ProviderCredential> findByOrgIdAndProviderAndIsDefaultTrue(UUID orgId, String provider);

    /** The newest of the provider's credentials: the next default when the default goes. */
    Optional<ProviderCredential> findFirstByOrgIdAndProviderOrderByCreatedAtDescIdAsc(UUID orgId, String provider);

    long countByOrgIdAndProvider(UUID orgId, String provider);
}

interface PlatformCredentialRepository extends CredentialRepository<PlatformCredential> {

    List<PlatformCredential> findAllByOrderByProviderAscCreatedAtAscIdAsc();

    List<PlatformCredential> findByProvider(String provider);

    Optional<PlatformCredential> findByProviderAndId(String provider, UUID id);

    Optional<PlatformCredential> findByProviderAndIsDefaultTrue(String provider);

    /** The newest of the provider's credentials: the next default when the default goes. */
    Optional<PlatformCredential> findFirstByProviderOrderByCreatedAtDescIdAsc(String provider);

    long countByProvider(String provider);
}
