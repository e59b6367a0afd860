package dev.latchkey.audit;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.kernel.Page;

/**
 * Reads the audit log by filter, in seq (chain) order: keyset pages for the API, and a
 * server-side cursor for exports, so neither ever holds more than a page in memory.
 */
@Component
class AuditEventSearch {

    private static final int EXPORT_FETCH_SIZE = 500;

    private final JdbcClient jdbc;

    AuditEventSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A page of events. Events not linked yet come first in a newest-first listing (on its first
     * page) and last in an oldest-first one (on its last page), read in the same snapshot as the
     * linked ones, so that an event is never missed or listed twice while the linker moves it.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Page<AuditEventView> page(AuditFilter filter, AuditCursor after, int limit) {
        List<AuditEventView> items = new ArrayList<>();
        if (!filter.ascending() && after == null) {
            items.addAll(pending(filter, limit));
        }
        if (items.size() >= limit) {
            return new Page<>(List.copyOf(items), new AuditCursor(Long.MAX_VALUE, false).encode());
        }
        int room = limit - items.size();
        Query query = query(filter, after);
        List<AuditEventView> rows = jdbc.sql(query.sql() + " LIMIT :limit")
                .params(query.params())
                .param("limit", room + 1)
                .query((rs, n) -> AuditEventView.of(AuditRows.row(rs)))
                .list();
        Page<AuditEventView> linked = Page.slice(rows, room,
                event -> new AuditCursor(event.seq(), filter.ascending()).encode());
        items.addAll(linked.items());
        if (linked.nextCursor() == null && filter.ascending()) {
            items.addAll(pending(filter, limit - items.size()));
        }
        return new Page<>(List.copyOf(items), linked.nextCursor());
    }

    /** Hands every matching event to {@code sink} as it is read from the database, pending ones included. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public void each(AuditFilter filter, Consumer<AuditEventView> sink) {
        if (!filter.ascending()) {
            pending(filter, Integer.MAX_VALUE).forEach(sink);
        }
        Query query = query(filter, null);
        jdbc.sql(query.sql()).params(query.params()).withFetchSize(EXPORT_FETCH_SIZE)
                .query((ResultSet rs) -> sink.accept(AuditEventView.of(AuditRows.row(rs))));
        if (filter.ascending()) {
            pending(filter, Integer.MAX_VALUE).forEach(sink);
        }
    }

    private List<AuditEventView> pending(AuditFilter filter, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        Query query = query(filter, null, "audit_pending", AuditRows.PENDING_COLUMNS, "id");
        return jdbc.sql(query.sql() + " LIMIT :limit")
                .params(query.params())
                .param("limit", limit)
                .query((rs, n) -> AuditEventView.pending(AuditRows.row(rs)))
                .list();
    }

    private record Query(String sql, Map<String, Object> params) {
    }

    private static Query query(AuditFilter filter, AuditCursor after) {
        return query(filter, after, "audit_events", AuditRows.COLUMNS, "seq");
    }

    private static Query query(AuditFilter filter, AuditCursor after, String table, String columns, String order) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        condition(where, params, "org_id = :orgId", "orgId", filter.orgId());
        if (filter.action() != null && filter.action().endsWith("*")) {
            condition(where, params, "starts_with(action, :actionPrefix)", "actionPrefix",
                    filter.action().substring(0, filter.action().length() - 1));
        } else {
            condition(where, params, "action = :action", "action", filter.action());
        }
        condition(where, params, "actor_id = :actor", "actor", filter.actor());
        condition(where, params, "actor_type = :actorType", "actorType", filter.actorType());
        condition(where, params, "outcome = :outcome", "outcome", filter.outcome());
        condition(where, params, "target_type = :targetType", "targetType", filter.targetType());
        condition(where, params, "target_id = :targetId", "targetId", filter.targetId());
        condition(where, params, "occurred_at >= :from", "from",
                filter.from() == null ? null : Timestamp.from(filter.from()));
        condition(where, params, "occurred_at < :to", "to", filter.to() == null ? null : Timestamp.from(filter.to()));
        if (after != null) {
            condition(where, params, filter.ascending() ? "seq > :after" : "seq < :after", "after", after.afterSeq());
        }
        String sql = "SELECT " + columns + " FROM " + table
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY " + order + " " + (filter.ascending() ? "ASC" : "DESC");
        return new Query(sql, params);
    }

    private static void condition(List<String> where, Map<String, Object> params, String sql, String name,
            Object value) {
        if (value != null) {
            where.add(sql);
            params.put(name, value);
        }
    }
}
