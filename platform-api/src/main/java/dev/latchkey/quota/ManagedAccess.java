package dev.latchkey.quota;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.accounts.OrgAccess;
import dev.latchkey.accounts.OrganizationService;
import dev.latchkey.accounts.Permission;
import dev.latchkey.changes.CacheLoaders;
import dev.latchkey.changes.ChangeFeed;
import dev.latchkey.changes.RefreshingCache;
import dev.latchkey.credentials.ManagedAccessPolicy;
import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.Provider;

/**
 * Managed access: an organization on a plan with managed providers (the {@code managed} plan has
 * all of them), or with providers switched on by a platform admin, may broker through the
 * platform's own credentials. Answered on the request path from a cache that every instance drops
 * when the organization's plan, a plan or its managed access changes (the change feed).
 */
@Service
public class ManagedAccess implements ManagedAccessPolicy {

    private final JdbcClient jdbc;
    private final OrganizationService organizations;
    private final OrgAccess orgAccess;
    private final ApplicationEventPublisher events;
    private final ChangeFeed changes;
    private final Clock clock;
    private final RefreshingCache<UUID, Optional<ManagedAccessView>> cache;

    ManagedAccess(JdbcClient jdbc, OrganizationService organizations, OrgAccess orgAccess, ApplicationEventPublisher events,
            ChangeFeed changes, CacheLoaders loaders, Clock clock,
            QuotaProperties settings) {
        this.jdbc = jdbc;
        this.organizations = organizations;
        this.orgAccess = orgAccess;
        this.events = events;
        this.changes = changes;
        this.clock = clock;
        this.cache = loaders.cache(settings.limitsCacheTtl(), 100_000, this::load);
        for (String kind : List.of("org", "managed_access")) {
            changes.subscribe(kind, change -> {
                if (change.everything()) {
                    cache.invalidateAll();
                } else {
                    cache.invalidate(UUID.fromString(change.id()));
                }
            });
        }
    }

    @Override
    public boolean allows(UUID orgId, Provider provider) {
        return cache.get(orgId).map(view -> view.effectiveProviders().contains(provider.id())).orElse(false);
    }

    /** The organization's managed access, for its members (who may read its usage) and platform admins. */
    @Transactional(readOnly = true)
    public ManagedAccessView get(Caller caller, UUID orgId) {
        orgAccess.require(caller, orgId, Permission.USAGE_READ);
        return current(orgId);
    }

    /** A platform admin's read of any organization's managed access. */
    @Transactional(readOnly = true)
    public ManagedAccessView getAsAdmin(Caller.User admin, UUID orgId) {
        return current(orgId);
    }

    /**
     * Replaces the providers a platform admin switched on for the organization (its plan's stay);
     * recorded in the organization's audit log. Every instance applies it within a second.
     */
    @Transactional
    public ManagedAccessView change(Caller.User admin, UUID orgId, List<String> providers) {
        current(orgId);
        Set<String> wanted = new TreeSet<>();
        for (int i = 0; i < providers.size(); i++) {
            String id = providers.get(i);
            int index = i;
            Provider provider = Provider.parse(id == null ? "" : id.trim()).orElseThrow(() ->
                    LatchkeyException.invalidField("providers[" + index + "]", "must be one of "
                            + Arrays.stream(Provider.values()).map(Provider::id).toList()));
            wanted.add(provider.id());
        }
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", "managed-access:" + orgId).query().singleRow();
        jdbc.sql("DELETE FROM org_managed_access WHERE org_id = :orgId AND NOT (provider = ANY (:providers))")
                .param("orgId", orgId).param("providers", wanted.toArray(String[]::new)).update();
        for (String provider : wanted) {
            jdbc.sql("""
                    INSERT INTO org_managed_access (org_id, provider, granted_by, granted_at)
                    VALUES (:orgId, :provider, :by, :now) ON CONFLICT (org_id, provider) DO NOTHING""")
                    .param("orgId", orgId).param("provider", provider).param("by", admin.userId())
                    .param("now", Timestamp.from(clock.instant())).update();
        }
        changes.publishLocallyAfterCommit("managed_access", orgId.toString());
        ManagedAccessView after = current(orgId);
        events.publishEvent(new ManagedAccessChanged(admin, orgId, after)); // audited in this transaction
        return after;
    }

    private ManagedAccessView current(UUID orgId) {
        return load(orgId).orElseThrow(() -> LatchkeyException.notFound("Organization"));
    }

    private Optional<ManagedAccessView> load(UUID orgId) {
        Optional<String> plan = organizations.plan(orgId);
        if (plan.isEmpty()) {
            return Optional.empty();
        }
        List<String> planProviders = jdbc.sql("SELECT managed_providers FROM plans WHERE id = :plan")
                .param("plan", plan.get())
                .query((rs, n) -> strings(rs.getArray(1))).optional().orElse(List.of());
        List<String> granted = jdbc.sql("SELECT provider FROM org_managed_access WHERE org_id = :orgId ORDER BY provider")
                .param("orgId", orgId).query(String.class).list();
        Set<String> effective = new TreeSet<>(planProviders);
        effective.addAll(granted);
        return Optional.of(new ManagedAccessView(List.copyOf(granted), plan.get(),
                planProviders.stream().sorted().toList(), List.copyOf(effective)));
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        return new ArrayList<>(Arrays.asList((String[]) array.getArray()));
    }
}
