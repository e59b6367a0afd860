package dev.latchkey.apikeys;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface ApiKeyRepository extends JpaRepository<ApiKey, UUID> {

    @Query("select k from ApiKey k where k.orgId = ?1 order by k.createdAt, k.id")
    List<ApiKey> firstPage(UUID orgId, Limit limit);

    @Query("""
            select k from ApiKey k where k.orgId = ?1 and (k.createdAt > ?2 or (k.createdAt = ?2 and k.id > ?3))
            order by k.createdAt, k.id""")
    List<ApiKey> pageAfter(UUID orgId, Instant afterCreatedAt, UUID afterId, Limit limit);

    Optional<ApiKey> findByIdAndOrgId(UUID id, UUID orgId);

    /** Rows of [org id, count of keys not revoked]; organizations without such keys are absent. */
    @Query("select k.orgId, count(k) from ApiKey k where k.orgId in ?1 and k.revokedAt is null group by k.orgId")
    List<Object[]> countUnrevokedByOrg(Collection<UUID> orgIds);

    @Modifying
    @Query("update ApiKey k set k.lastUsedAt = ?2 where k.id = ?1 and (k.lastUsedAt is null or k.lastUsedAt < ?2)")
    int touch(UUID id, Instant usedAt);
}

interface ApiKeySecretRepository extends JpaRepository<ApiKeySecret, UUID> {

    Optional<ApiKeySecret> findByLookupId(String lookupId);

    List<ApiKeySecret> findByApiKeyId(UUID apiKeyId);
}
