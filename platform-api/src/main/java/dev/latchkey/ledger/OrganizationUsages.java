package dev.latchkey.ledger;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.kernel.Caller;
import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.quota.BillingPeriod;

/** Usage of many organizations at once, for platform admins' list of organizations. */
@Service
public class OrganizationUsages {

    private final JdbcClient jdbc;
    private final Clock clock;

    OrganizationUsages(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The current period's usage of each of {@code orgIds} (one query for them all); 404 for anyone but a platform admin. */
    @Transactional(readOnly = true)
    public Map<UUID, OrganizationUsage> thisPeriod(Caller.User admin, Collection<UUID> orgIds) {
        if (!admin.platformAdmin()) {
            throw LatchkeyException.notFound("Resource");
        }
        BillingPeriod period = BillingPeriod.containing(clock.instant());
        Map<UUID, List<OrganizationUsage.Total>> totals = new HashMap<>();
        if (!orgIds.isEmpty()) {
            jdbc.sql("""
                    SELECT org_id, currency, sum(CASE WHEN kind = 'charge' THEN 1 ELSE -1 END) AS events,
                           sum(quantity) AS quantity, sum(amount_micros) AS amount_micros
                    FROM usage_ledger WHERE org_id IN (:orgIds) AND occurred_at >= :from AND occurred_at < :to
                    GROUP BY org_id, currency ORDER BY org_id, currency""")
                    .param("orgIds", List.copyOf(orgIds))
                    .param("from", Timestamp.from(period.start())).param("to", Timestamp.from(period.end()))
                    .query((rs, n) -> totals.computeIfAbsent(rs.getObject("org_id", UUID.class), id -> new ArrayList<>())
                            .add(new OrganizationUsage.Total(rs.getString("currency"), rs.getLong("events"),
                                    rs.getLong("quantity"), rs.getLong("amount_micros"))))
                    .list();
        }
        Map<UUID, OrganizationUsage> usage = new HashMap<>();
        for (UUID orgId : orgIds) {
            usage.put(orgId, new OrganizationUsage(period.toString(), List.copyOf(totals.getOrDefault(orgId, List.of()))));
        }
        return usage;
    }
}
