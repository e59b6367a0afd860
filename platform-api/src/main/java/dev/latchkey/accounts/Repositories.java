package dev.latchkey.accounts;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface UserRepository extends JpaRepository<User, UUID> {

    @Query("select u from User u where lower(u.email) = lower(?1)")
    Optional<User> findByEmail(String email);
}

interface OrganizationRepository extends JpaRepository<Organization, UUID> {

    boolean existsBySlug(String slug);

    /** Serializes membership changes of one organization (the last-owner rule). */
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
}

interface InvitationRepository extends JpaRepository<Invitation, UUID> {

    @Query("select i from Invitation i where lower(i.email) = lower(?1)")
    List<Invitation> findByEmail(String email);

    @Query("select i from Invitation i where i.orgId = ?1 order by i.createdAt")
    List<Invitation> findByOrg(UUID orgId);

    @Query("select count(i) > 0 from Invitation i where i.orgId = ?1 and lower(i.email) = lower(?2)")
    boolean existsByOrgAndEmail(UUID orgId, String email);
}
