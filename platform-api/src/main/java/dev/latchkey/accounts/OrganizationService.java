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
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditService;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Page;
import dev.latchkey.kernel.PageCursor;
import dev.latchkey.kernel.ProblemType;

/** Organizations: the tenants. */
@Service
public class OrganizationService {

    private static final String SLUG_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    static final ProblemType ORGANIZATION_LIMIT = new ProblemType("/problems/organization-limit", 409,
            "Too many organizations");

    private final OrganizationRepository organizations;
    private final MembershipRepository memberships;
    private final OrgAccess orgAccess;
    private final AuditService audit;
    private final SecureRandom random;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final AccountThrottles throttles;
    private final UserRepository users;
    private final int maxOrganizationsPerUser;

    OrganizationService(OrganizationRepository organizations, MembershipRepository memberships, OrgAccess orgAccess,
            AuditService audit, SecureRandom random, Clock clock, ApplicationEventPublisher events,
            AccountThrottles throttles, UserRepository users, AccountsProperties settings) {
        this.events = events;
        this.throttles = throttles;
        this.users = users;
        this.maxOrganizationsPerUser = settings.maxOrganizationsPerUser();
        this.organizations = organizations;
        this.memberships = memberships;
        this.orgAccess = orgAccess;
        this.audit = audit;
        this.random = random;
        this.clock = clock;
    }

    /**
     * Creates an organization with the user as its owner: throttled per user and per client
     * address, and refused once the user owns {@code latchkey.accounts.max-organizations-per-user}.
     */
    @Transactional
    public OrganizationView create(Caller.User caller, String name) {
        throttles.require(AccountThrottles.Action.ORGANIZATION_CREATION, caller.userId().toString());
        users.lockById(caller.userId()).orElseThrow(
                () -> new LatchkeyException(ProblemType.UNAUTHENTICATED, "The account no longer exists"));
        if (memberships.countOwnedBy(caller.userId()) >= maxOrganizationsPerUser) {
            throw new LatchkeyException(ORGANIZATION_LIMIT, "You own " + maxOrganizationsPerUser
                    + " organizations, the most one person may; delete one or hand its ownership to someone else");
        }
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
     * Requires (or stops requiring) two-factor authentication of the organization's owners and
     * admins. Whoever turns it on must have it already, so that nobody locks themselves out.
     */
    @Transactional
    public OrganizationView requireMfa(Caller caller, UUID orgId, boolean required) {
        Role role = orgAccess.require(caller, orgId, Permission.ORG_MANAGE).orElse(null);
        Organization organization = organizations.findById(orgId).orElseThrow(OrgAccess::organizationNotFound);
        if (required && caller instanceof Caller.User user
                && !users.findById(user.userId()).map(User::mfaEnabled).orElse(false)) {
            throw new LatchkeyException(ProblemType.CONFLICT, "Turn on two-factor authentication for your own account"
                    + " first: the requirement applies to you as well");
        }
        if (organization.requireMfa() != required) {
            organization.requireMfa(required, clock.instant());
            audit.record(AuditEvent.success("organization.mfa_requirement_changed").by(caller).org(orgId)
                    .target("organization", orgId).detail("require_mfa", required).build());
        }
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

    /**
     * Every organization, newest first, for platform admins: {@code query} finds a name or slug
     * (substring, any case), an organization id or a member's exact email; {@code status} is
     * {@code active} or {@code suspended}. The read is recorded in the audit log.
     */
    @Transactional
    public Page<OrganizationSummary> listForPlatformAdmin(Caller.User admin, String query, String status,
            String cursor, int limit) {
        requirePlatformAdmin(admin);
        if (status != null && !Organization.ACTIVE.equals(status) && !Organization.SUSPENDED.equals(status)) {
            throw LatchkeyException.invalidField("status", "must be active or suspended");
        }
        int size = Page.limit(limit);
        String search = query == null ? "" : query.trim();
        String pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        String matching = search.isEmpty() ? null : search;
        List<OrganizationSummary> rows;
        if (cursor == null || cursor.isBlank()) {
            rows = organizations.searchFirst(matching, pattern, status, Limit.of(size + 1));
        } else {
            PageCursor after = PageCursor.decode(cursor.trim());
            rows = organizations.searchAfter(matching, pattern, status, after.time(), after.id(), Limit.of(size + 1));
        }
        Page<OrganizationSummary> page = Page.slice(rows, size, org -> new PageCursor(org.createdAt(), org.id()).encode());
        audit.record(AuditEvent.success("admin.organizations_listed").by(admin).target("organizations", null)
                .detail("query", search.isEmpty() ? null : search).detail("status", status)
                .detail("returned", page.items().size()).build());
        return page;
    }

    /**
     * Suspends the organization: from now on its API keys are refused on every instance (within
     * the key cache's TTL) and its members may only read. Suspending a suspended organization
     * changes nothing.
     */
    @Transactional
    public OrganizationSummary suspend(Caller.User admin, UUID orgId, String reason) {
        requirePlatformAdmin(admin);
        Organization organization = organizations.lockById(orgId).orElseThrow(OrgAccess::organizationNotFound);
        if (!organization.suspended()) {
            String trimmed = reason == null || reason.isBlank() ? null : reason.trim();
            organization.suspend(trimmed, clock.instant());
            organizations.flush();
            audit.record(AuditEvent.success("organization.suspended").by(admin).org(orgId)
                    .target("organization", orgId).detail("reason", trimmed).build());
            events.publishEvent(new OrganizationStatusChanged(orgId, true));
        }
        return summary(orgId);
    }

    /** Lifts a suspension; its keys work again on every instance within the key cache's TTL. */
    @Transactional
    public OrganizationSummary resume(Caller.User admin, UUID orgId) {
        requirePlatformAdmin(admin);
        Organization organization = organizations.lockById(orgId).orElseThrow(OrgAccess::organizationNotFound);
        if (organization.suspended()) {
            organization.resume(clock.instant());
            organizations.flush();
            audit.record(AuditEvent.success("organization.resumed").by(admin).org(orgId)
                    .target("organization", orgId).build());
            events.publishEvent(new OrganizationStatusChanged(orgId, false));
        }
        return summary(orgId);
    }

    private OrganizationSummary summary(UUID orgId) {
        return organizations.findSummary(orgId).orElseThrow(OrgAccess::organizationNotFound);
    }

    /** Platform-wide reads and changes: anyone else is told there is nothing here. */
    private static void requirePlatformAdmin(Caller.User caller) {
        if (!caller.platformAdmin()) {
            throw LatchkeyException.notFound("Resource");
        }
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
