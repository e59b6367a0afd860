package dev.latchkey.apikeys;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.LockModeType;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface ApiKeyRepository extends JpaRepository<ApiKey, UUID> {

    @Query("select k from ApiKey k where k.orgId = ?1 order by k.createdAt, k.id")
    List<ApiKey> firstPage(UUID orgId, Limit limit);

    @Query("""
            select k from ApiKey k where k.orgId = ?1 and (k.createdAt > ?2 or (k.createdAt = ?2 and k.id > ?3))
            order by k.createdAt, k.id""")
    List<ApiKey> pageAfter(UUID orgId, Instant afterCreatedAt, UUID afterId, Limit limit);

    Optional<ApiKey> findByIdAndOrgId(UUID id, UUID orgId);

    /** The unrevoked keys a member created in the organization, locked until the transaction ends. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select k from ApiKey k where k.orgId = ?1 and k.createdBy = ?2 and k.revokedAt is null order by k.id")
    List<ApiKey> lockUnrevokedByCreator(UUID orgId, UUID createdBy);

    /**
     * Unrevoked keys holding a scope their creator's current role does not (or whose creator is
     * no longer a member, or unknown), locked. Each parameter is the text[] literal of the scopes
     * that role holds.
     */
    @Query(nativeQuery = true, value = """
            SELECT k.* FROM api_keys k
            LEFT JOIN memberships m ON m.org_id = k.org_id AND m.user_id = k.created_by
            WHERE k.revoked_at IS NULL
              AND NOT (k.scopes <@ CAST(CASE m.role WHEN 'owner' THEN :ownerScopes WHEN 'admin' THEN :adminScopes
                  WHEN 'developer' THEN :developerScopes WHEN 'billing' THEN :billingScopes WHEN 'viewer' THEN :viewerScopes
                  ELSE '{}' END AS text[]))
            ORDER BY k.id
            FOR UPDATE OF k""")
    List<ApiKey> lockUnrevokedBeyondCreatorRole(@Param("ownerScopes") String owner, @Param("adminScopes") String admin,
            @Param("developerScopes") String developer, @Param("billingScopes") String billing, @Param("viewerScopes") String viewer);

    /** Rows of [org id, count of keys not revoked]; organizations without such keys are absent. */
    @Query("select k.orgId, count(k) from ApiKey k where k.orgId in ?1 and k.revokedAt is null group by k.orgId")
    List<Object[]> countUnrevokedByOrg(Collection<UUID> orgIds);

    @Modifying
    @Query("update ApiKey k set k.lastUsedAt = ?2 where k.id = ?1 and (k.lastUsedAt is null or k.lastUsedAt < ?2)")
    int touch(UUID id, Instant usedAt);
}

interface ApiKeySecretRepository extends JpaRepository<ApiKeySecret, UUID> {

    /** The key cache's loader: one read of the secret, its key and its organization. */
    @Query("""
            select new dev.latchkey.apikeys.ResolvedSecret(s.secretHash, s.expiresAt, k.id, k.orgId,
                k.scopes, k.expiresAt, k.revokedAt, o.status)
            from ApiKeySecret s join ApiKey k on k.id = s.apiKeyId join Organization o on o.id = k.orgId
            where s.lookupId = ?1""")
    Optional<ResolvedSecret> resolve(String lookupId);

    Optional<ApiKeySecret> findByLookupId(String lookupId);

    List<ApiKeySecret> findByApiKeyId(UUID apiKeyId);
}
