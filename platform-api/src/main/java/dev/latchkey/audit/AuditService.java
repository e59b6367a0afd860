package dev.latchkey.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.latchkey.web.RequestMetadata;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way to write the audit log. Each append locks the chain head, so rows are linked
 * in the order they commit.
 */
@Service
public class AuditService {

    private static final TypeReference<Map<String, String>> DETAILS = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final Clock clock;
    private final JsonMapper jsonMapper = JsonMapper.builder().build();

    AuditService(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records the event in the caller's transaction: it commits or rolls back with the action. */
    @Transactional(propagation = Propagation.REQUIRED)
    public void record(AuditEvent event) {
        append(event);
    }

    /**
     * Records a refusal or failure that must stay on record although the action itself is
     * rolled back. Call it only where no audit row was written earlier in the same transaction.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordIndependently(AuditEvent event) {
        append(event);
    }

    /** Walks the whole chain; the first row whose hash or link does not match is named. */
    @Transactional(readOnly = true)
    public ChainVerification verifyChain() {
        String[] previous = {AuditChain.GENESIS};
        long[] checked = {0};
        Optional<ChainVerification> broken = jdbc.sql("""
                SELECT seq, id, occurred_at, org_id, actor_type, actor_id, action, target_type, target_id,
                       outcome, ip, user_agent, request_id, details::text AS details, prev_hash, hash
                FROM audit_events ORDER BY seq""")
                .query((ResultSet rs) -> {
                    while (rs.next()) {
                        AuditChain.Row row = row(rs);
                        String storedPrevious = rs.getString("prev_hash");
                        String storedHash = rs.getString("hash");
                        checked[0]++;
                        if (!storedPrevious.equals(previous[0])) {
                            return Optional.of(ChainVerification.broken(checked[0], row.seq(), row.id(),
                                    "prev_hash does not link to the row before it"));
                        }
                        if (!AuditChain.hash(storedPrevious, row).equals(storedHash)) {
                            return Optional.of(ChainVerification.broken(checked[0], row.seq(), row.id(),
                                    "the row's content does not match its hash"));
                        }
                        previous[0] = storedHash;
                    }
                    return Optional.<ChainVerification>empty();
                });
        return broken.orElseGet(() -> ChainVerification.intact(checked[0]));
    }

    private void append(AuditEvent event) {
        RequestMetadata request = RequestMetadata.current();
        Head head = jdbc.sql("SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE")
                .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2)))
                .single();
        AuditChain.Row row = new AuditChain.Row(head.lastSeq() + 1, UUID.randomUUID(),
                clock.instant().truncatedTo(ChronoUnit.MICROS), event.orgId(), lower(event.actorType()),
                event.actorId(), event.action(), event.targetType(), event.targetId(), lower(event.outcome()),
                request.ip(), request.userAgent(), request.requestId(), event.details());
        String hash = AuditChain.hash(head.lastHash(), row);
        jdbc.sql("""
                INSERT INTO audit_events (seq, id, occurred_at, org_id, actor_type, actor_id, action, target_type,
                    target_id, outcome, ip, user_agent, request_id, details, prev_hash, hash)
                VALUES (:seq, :id, :occurredAt, :orgId, :actorType, :actorId, :action, :targetType, :targetId,
                    :outcome, :ip, :userAgent, :requestId, CAST(:details AS jsonb), :prevHash, :hash)""")
                .param("seq", row.seq())
                .param("id", row.id())
                .param("occurredAt", java.sql.Timestamp.from(row.occurredAt()))
                .param("orgId", row.orgId())
                .param("actorType", row.actorType())
                .param("actorId", row.actorId())
                .param("action", row.action())
                .param("targetType", row.targetType())
                .param("targetId", row.targetId())
                .param("outcome", row.outcome())
                .param("ip", row.ip())
                .param("userAgent", row.userAgent())
                .param("requestId", row.requestId())
                .param("details", jsonMapper.writeValueAsString(row.details()))
                .param("prevHash", head.lastHash())
                .param("hash", hash)
                .update();
        jdbc.sql("UPDATE audit_chain_head SET last_seq = :seq, last_hash = :hash WHERE id = 1")
                .param("seq", row.seq())
                .param("hash", hash)
                .update();
    }

    private AuditChain.Row row(ResultSet rs) throws SQLException {
        Instant occurredAt = rs.getTimestamp("occurred_at").toInstant();
        String orgId = rs.getString("org_id");
        return new AuditChain.Row(rs.getLong("seq"), UUID.fromString(rs.getString("id")), occurredAt,
                orgId == null ? null : UUID.fromString(orgId), rs.getString("actor_type"), rs.getString("actor_id"),
                rs.getString("action"), rs.getString("target_type"), rs.getString("target_id"),
                rs.getString("outcome"), rs.getString("ip"), rs.getString("user_agent"), rs.getString("request_id"),
                jsonMapper.readValue(rs.getString("details"), DETAILS));
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private record Head(long lastSeq, String lastHash) {
    }
}
