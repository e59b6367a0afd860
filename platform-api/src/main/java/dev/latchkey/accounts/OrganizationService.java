package dev.latchkey.accounts;

import java.security.SecureRandom;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.web.Caller;

/** Organizations: the tenants. */
@Service
public class OrganizationService {

    private static final String SLUG_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final OrganizationRepository organizations;
    private final MembershipRepository memberships;
    private final OrgAccess orgAccess;
    private final AuditService audit;
    private final SecureRandom random;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    OrganizationService(OrganizationRepository organizations, MembershipRepository memberships, OrgAccess orgAccess,
            AuditService audit, SecureRandom random, Clock clock, ApplicationEventPublisher events) {
        this.events = events;
        this.organizations = organizations;
        this.memberships = memberships;
        this.orgAccess = orgAccess;
        this.audit = audit;
        this.random = random;
        this.clock = clock;
    }

    /** Creates an organization with the user as its owner. */
    @Transactional
    public OrganizationView create(Caller.User caller, String name) {
        Organization organization = create(name.trim(), caller.userId());
        return OrganizationView.of(organization, Role.OWNER);
    }

    @Transactional(readOnly = true)
    public OrganizationView get(Caller caller, UUID orgId) {
        Role role = orgAccess.require(caller, orgId, Permission.ORG_READ).orElse(null);
        return OrganizationView.of(organizations.findById(orgId).orElseThrow(OrgAccess::organizationNotFound), role);
    }

    @Transactional
    public OrganizationView rename(Caller caller, UUID orgId, String name) {
        Role role = orgAccess.require(caller, orgId, Permission.ORG_MANAGE).orElse(null);
        Organization organization = organizations.findById(orgId).orElseThrow(OrgAccess::organizationNotFound);
        String previous = organization.name();
        organization.rename(name.trim(), clock.instant());
        audit.record(AuditEvent.success("organization.renamed").by(caller).org(orgId).target("organization", orgId)
                .detail("from", previous).detail("to", organization.name()).build());
        return OrganizationView.of(organization, role);
    }

    /**
     * Deletes the organization and, through the database's cascades, everything it owns: members,
     * API keys, credentials and its data key, so its credentials can never be decrypted again.
     * The audit trail stays.
     */
    @Transactional
    public void delete(Caller caller, UUID orgId) {
        orgAccess.require(caller, orgId, Permission.ORG_DELETE);
        Organization organization = organizations.lockById(orgId).orElseThrow(OrgAccess::organizationNotFound);
        organizations.delete(organization);
        organizations.flush();
        audit.record(AuditEvent.success("organization.deleted").by(caller).org(orgId).target("organization", orgId)
                .detail("slug", organization.slug()).build());
        events.publishEvent(new OrganizationDeleted(orgId));
    }

    /** Whether the organization exists and is not suspended. */
    @Transactional(readOnly = true)
    public boolean isActive(UUID orgId) {
        return organizations.findById(orgId).map(o -> Organization.ACTIVE.equals(o.status())).orElse(false);
    }

    /** The organization's plan (whose limits the quota capability applies), or empty when there is no such org. */
    @Transactional(readOnly = true)
    public Optional<String> plan(UUID orgId) {
        return organizations.findById(orgId).map(Organization::plan);
    }

    /**
     * Moves the organization to another plan; the caller has checked that the plan exists and
     * that it may change it (a platform admin), and audits the change.
     */
    @Transactional
    public void changePlan(UUID orgId, String plan) {
        organizations.findById(orgId).orElseThrow(OrgAccess::organizationNotFound).changePlan(plan, clock.instant());
    }

    Organization create(String name, UUID ownerId) {
        Instant now = clock.instant();
        Organization organization = organizations.saveAndFlush(new Organization(UUID.randomUUID(), name,
                uniqueSlug(name), now));
        memberships.saveAndFlush(new Membership(organization.id(), ownerId, Role.OWNER, now));
        audit.record(AuditEvent.success("organization.created").byUser(ownerId).org(organization.id())
                .target("organization", organization.id()).detail("slug", organization.slug()).build());
        return organization;
    }

    List<OrganizationView> viewsFor(List<Membership> userMemberships) {
        Map<UUID, Organization> byId = organizations.findAllById(
                userMemberships.stream().map(Membership::orgId).toList()).stream()
                .collect(Collectors.toMap(Organization::id, Function.identity()));
        return userMemberships.stream()
                .filter(m -> byId.containsKey(m.orgId()))
                .map(m -> OrganizationView.of(byId.get(m.orgId()), m.role()))
                .toList();
    }

    private String uniqueSlug(String name) {
        String base = Normalizer.normalize(name, Normalizer.Form.NFKD)
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-+|-+$)", "");
        if (base.length() > 40) {
            base = base.substring(0, 40).replaceAll("-+$", "");
        }
        if (base.isEmpty()) {
            base = "org";
        }
        String slug = base;
        while (organizations.existsBySlug(slug)) {
            slug = base + "-" + randomSuffix();
        }
        return slug;
    }

    private String randomSuffix() {
        StringBuilder suffix = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            suffix.append(SLUG_ALPHABET.charAt(random.nextInt(SLUG_ALPHABET.length())));
        }
        return suffix.toString();
    }
}
