package dev.latchkey.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.LockModeType;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface UserRepository extends JpaRepository<User, UUID> {

    @Query("select u from User u where lower(u.email) = lower(?1)")
    Optional<User> findByEmail(String email);

    /** Serializes one user's organization creations (the cap on organizations per user). */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select u from User u where u.id = ?1")
    Optional<User> lockById(UUID id);
}

interface OrganizationRepository extends JpaRepository<Organization, UUID> {

    /** An organization as platform admins list it, with its number of members. */
    String SUMMARY = """
            select new dev.latchkey.accounts.OrganizationSummary(o.id, o.name, o.slug, o.plan, o.status, o.createdAt,
                o.suspendedAt, o.suspensionReason, (select count(m) from Membership m where m.id.orgId = o.id))
            from Organization o""";

    boolean existsBySlug(String slug);

    @Query(SUMMARY + " where o.id = ?1")
    Optional<OrganizationSummary> findSummary(UUID id);

    /**
     * Platform admins' search: {@code query} (null for any) is a name or slug substring
     * ({@code pattern}, its {@code LIKE} form, matched in any case), an organization id or a
     * member's exact email; {@code status} is null for any.
     */
    String SEARCH = SUMMARY + " " + """
            where (cast(:query as String) is null or o.name ilike :pattern escape '\\'
                   or o.slug ilike :pattern escape '\\' or cast(o.id as String) = lower(cast(:query as String))
                   or exists (select 1 from Membership m join User u on u.id = m.id.userId
                              where m.id.orgId = o.id and lower(u.email) = lower(cast(:query as String))))
              and (cast(:status as String) is null or o.status = :status)""";
    String NEWEST_FIRST = " order by o.createdAt desc, o.id desc";

    /** The first page of {@link #SEARCH}, newest first. */
    @Query(SEARCH + NEWEST_FIRST)
    List<OrganizationSummary> searchFirst(@Param("query") String query, @Param("pattern") String pattern,
            @Param("status") String status, Limit limit);

    /** The page of {@link #SEARCH} after the row created at {@code afterCreatedAt} with id {@code afterId}. */
    @Query(SEARCH + " and (o.createdAt, o.id) < (:afterCreatedAt, :afterId)" + NEWEST_FIRST)
    List<OrganizationSummary> searchAfter(@Param("query") String query, @Param("pattern") String pattern,
            @Param("status") String status, @Param("afterCreatedAt") Instant afterCreatedAt,
            @Param("afterId") UUID afterId, Limit limit);

    /**
     * Whether an active organization allows the origin: a probe of the GIN index on
     * {@code settings -> 'allowed_origins'}.
     */
    @Query(nativeQuery = true, value = """
            SELECT EXISTS (SELECT 1 FROM organizations WHERE status = 'active'
                AND settings -> 'allowed_origins' @> jsonb_build_array(CAST(:origin AS text)))""")
    boolean existsActiveAllowing(@Param("origin") String origin);

    /** Serializes membership and settings changes of one organization (the last-owner rule). */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select o from Organization o where o.id = ?1")
    Optional<Organization> lockById(UUID id);
}

interface MembershipRepository extends JpaRepository<Membership, Membership.Id> {

    @Query("select m from Membership m where m.id.userId = ?1 order by m.createdAt")
    List<Membership> findByUser(UUID userId);

    @Query("select m from Membership m where m.id.orgId = ?1 order by m.createdAt")
    List<Membership> findByOrg(UUID orgId);

    @Query("select count(m) from Membership m where m.id.orgId = ?1 and m.role = 'owner'")
    long countOwners(UUID orgId);

    /** The member's role as committed now, share-locked until the transaction ends (role changes wait). */
    @Query(nativeQuery = true, value = "SELECT role FROM memberships WHERE org_id = ?1 AND user_id = ?2 FOR SHARE")
    Optional<String> lockRole(UUID orgId, UUID userId);

    /** How many organizations the user owns: what the cap on organizations per user counts. */
    @Query("select count(m) from Membership m where m.id.userId = ?1 and m.role = 'owner'")
    long countOwnedBy(UUID userId);

    @Query("select count(m) > 0 from Membership m, User u where u.id = m.id.userId and m.id.orgId = ?1"
            + " and lower(u.email) = lower(?2)")
    boolean existsByOrgAndEmail(UUID orgId, String email);
}

interface InvitationRepository extends JpaRepository<Invitation, UUID> {

    /** The invitation of a token, locked until the transaction ends: a token is used at most once. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select i from Invitation i where i.tokenHash = ?1 or i.mailTokenHash = ?1")
    Optional<Invitation> lockByTokenHash(byte[] tokenHash);

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select i from Invitation i where i.id = ?1")
    Optional<Invitation> lockById(UUID id);

    @Query("select i from Invitation i where i.tokenHash = ?1 or i.mailTokenHash = ?1")
    Optional<Invitation> findByTokenHash(byte[] tokenHash);

    @Query("select i.orgId from Invitation i where i.tokenHash = ?1 or i.mailTokenHash = ?1")
    Optional<UUID> findOrgIdByTokenHash(byte[] tokenHash);

    /** Invitations neither accepted nor revoked (pending or expired), oldest first. */
    @Query("select i from Invitation i where i.orgId = ?1 and i.acceptedAt is null and i.revokedAt is null"
            + " order by i.createdAt")
    List<Invitation> findOpenByOrg(UUID orgId);

    @Query("select i from Invitation i where i.orgId = ?1 and lower(i.email) = lower(?2) and i.acceptedAt is null"
            + " and i.revokedAt is null")
    Optional<Invitation> findOpenByOrgAndEmail(UUID orgId, String email);

    @Query("select i from Invitation i where i.orgId = ?1 and i.invitedBy = ?2 and i.acceptedAt is null"
            + " and i.revokedAt is null")
    List<Invitation> findOpenByInviter(UUID orgId, UUID invitedBy);
}

interface AccountTokenRepository extends JpaRepository<AccountToken, UUID> {

    /** The link of a token, locked until the transaction ends: a link is used at most once. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select t from AccountToken t where t.tokenHash = ?1 and t.purpose = ?2")
    Optional<AccountToken> lockByTokenHash(byte[] tokenHash, String purpose);

    @Query("select t from AccountToken t where t.userId = ?1 and t.purpose = ?2 and t.usedAt is null"
            + " and t.replacedAt is null")
    List<AccountToken> findOpen(UUID userId, String purpose);
}

interface RecoveryCodeRepository extends JpaRepository<RecoveryCode, UUID> {

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select c from RecoveryCode c where c.userId = ?1 and c.codeHash = ?2")
    Optional<RecoveryCode> lockByUserAndHash(UUID userId, byte[] codeHash);

    @Query("select count(c) from RecoveryCode c where c.userId = ?1 and c.usedAt is null")
    long countUnused(UUID userId);

    @org.springframework.data.jpa.repository.Modifying
    @Query("delete from RecoveryCode c where c.userId = ?1")
    void deleteByUser(UUID userId);
}
