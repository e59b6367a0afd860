package dev.latchkey.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** How an {@code audit_events} row is read back: the columns every reader selects and their mapping. */
final class AuditRows {

    static final String COLUMNS = """
            seq, id, occurred_at, org_id, actor_type, actor_id, action, target_type, target_id, outcome, ip,
            user_agent, request_id, details::text AS details, prev_hash, hash""";

    private static final TypeReference<Map<String, String>> DETAILS = new TypeReference<>() { };
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AuditRows() {
    }

    static AuditChain.Row row(ResultSet rs) throws SQLException {
        String orgId = rs.getString("org_id");
        return new AuditChain.Row(rs.getLong("seq"), UUID.fromString(rs.getString("id")),
                rs.getTimestamp("occurred_at").toInstant(), orgId == null ? null : UUID.fromString(orgId),
                rs.getString("actor_type"), rs.getString("actor_id"), rs.getString("action"),
                rs.getString("target_type"), rs.getString("target_id"), rs.getString("outcome"), rs.getString("ip"),
                rs.getString("user_agent"), rs.getString("request_id"), details(rs.getString("details")));
    }

    /** The columns of {@code audit_pending} under the names of {@link #COLUMNS} (no seq, no hashes). */
    static final String PENDING_COLUMNS = """
            0 AS seq, event_id AS id, occurred_at, org_id, actor_type, actor_id, action, target_type, target_id, outcome,
            ip, user_agent, request_id, details::text AS details""";

    static Map<String, String> details(String json) {
        return JSON.readValue(json, DETAILS);
    }

    static String json(Map<String, String> details) {
        return JSON.writeValueAsString(details);
    }
}
