package dev.latchkey.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

/**
 * The tamper evidence of the audit log: {@code hash = SHA-256(prev_hash || canonical row)}.
 * The canonical row is JSON with a fixed member order, so a row read back from the database
 * hashes exactly as it did when written.
 */
final class AuditChain {

    static final String GENESIS = "0".repeat(64);
    private static final JsonMapper CANONICAL = JsonMapper.builder().build();

    private AuditChain() {
    }

    /** A row as stored: what the hash covers. */
    record Row(long seq, UUID id, Instant occurredAt, UUID orgId, String actorType, String actorId, String action,
            String targetType, String targetId, String outcome, String ip, String userAgent, String requestId,
            Map<String, String> details) {
    }

    static String hash(String previousHash, Row row) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(previousHash.getBytes(StandardCharsets.US_ASCII));
            sha256.update((byte) '\n');
            sha256.update(canonical(row).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static String canonical(Row row) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("seq", row.seq());
        members.put("id", row.id().toString());
        members.put("occurred_at_micros", ChronoUnit.MICROS.between(Instant.EPOCH, row.occurredAt()));
        members.put("org_id", row.orgId() == null ? null : row.orgId().toString());
        members.put("actor_type", row.actorType());
        members.put("actor_id", row.actorId());
        members.put("action", row.action());
        members.put("target_type", row.targetType());
        members.put("target_id", row.targetId());
        members.put("outcome", row.outcome());
        members.put("ip", row.ip());
        members.put("user_agent", row.userAgent());
        members.put("request_id", row.requestId());
        members.put("details", new TreeMap<>(row.details()));
        return CANONICAL.writeValueAsString(members);
    }
}
