package dev.latchkey.sessions;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.latchkey.kernel.Provider;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The {@code session_tokens} table: tokens by hash, and the one atomic consumption of each. */
@Component
class SessionTokens {

    /** How long a used or expired token's row is kept (a replay then still finds nothing usable). */
    static final Duration RETENTION = Duration.ofDays(1);
    private static final String COLUMNS = "id, org_id, api_key_id, provider,"
            + " coalesce(credential_id, platform_credential_id) AS pinned_credential_id,"
            + " platform_credential_id IS NOT NULL AS managed, session::text AS session_json, end_user,"
            + " max_session_seconds";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    SessionTokens(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * A token as minted: what the call it starts will be pinned to. {@code credentialId} is the
     * organization's own credential, or with {@code managed} the platform's.
     */
    record StoredToken(UUID id, UUID orgId, UUID apiKeyId, Provider provider, UUID credentialId, boolean managed,
            ObjectNode session, String endUser, Integer maxSessionSeconds) {
    }

    void insert(StoredToken token, byte[] hash, String requestId, Instant createdAt, Instant expiresAt) {
        jdbc.sql("""
                INSERT INTO session_tokens (id, token_hash, org_id, api_key_id, provider, credential_id,
                    platform_credential_id, session, end_user, max_session_seconds, request_id, created_at, expires_at)
                VALUES (:id, :hash, :orgId, :apiKeyId, :provider, :credentialId, :platformCredentialId,
                    CAST(:session AS jsonb), :endUser, :maxSessionSeconds, :requestId, :createdAt, :expiresAt)""")
                .param("id", token.id()).param("hash", hash).param("orgId", token.orgId())
                .param("apiKeyId", token.apiKeyId()).param("provider", token.provider().id())
                .param("credentialId", token.managed() ? null : token.credentialId(), Types.OTHER)
                .param("platformCredentialId", token.managed() ? token.credentialId() : null, Types.OTHER)
                .param("session", json.writeValueAsString(token.session()))
                .param("endUser", token.endUser()).param("maxSessionSeconds", token.maxSessionSeconds())
                .param("requestId", requestId).param("createdAt", Timestamp.from(createdAt))
                .param("expiresAt", Timestamp.from(expiresAt))
                .update();
    }

    /** The organization of a token that is still usable (known, unused, unexpired), without using it. */
    Optional<UUID> usableTokenOrg(byte[] hash, Instant now) {
        return jdbc.sql("""
                SELECT org_id FROM session_tokens
                WHERE token_hash = :hash AND consumed_at IS NULL AND expires_at > :now""")
                .param("hash", hash).param("now", Timestamp.from(now))
                .query(UUID.class).optional();
    }

    /** A token that is still usable, as it was minted, without using it. */
    Optional<StoredToken> find(byte[] hash, Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM session_tokens"
                        + " WHERE token_hash = :hash AND consumed_at IS NULL AND expires_at > :now")
                .param("hash", hash).param("now", Timestamp.from(now))
                .query(this::row).optional();
    }

    /**
     * Uses the token up: one UPDATE that only one request, on any instance, can win; every other
     * use (a second one, a concurrent one, an expired token) finds nothing.
     */
    Optional<StoredToken> consume(byte[] hash, Instant now) {
        return jdbc.sql("""
                UPDATE session_tokens SET consumed_at = :now
                WHERE token_hash = :hash AND consumed_at IS NULL AND expires_at > :now
                RETURNING """ + " " + COLUMNS)
                .param("hash", hash).param("now", Timestamp.from(now))
                .query(this::row).optional();
    }

    private StoredToken row(ResultSet rs, int n) throws SQLException {
        return new StoredToken(rs.getObject("id", UUID.class), rs.getObject("org_id", UUID.class),
                rs.getObject("api_key_id", UUID.class), Provider.parse(rs.getString("provider")).orElseThrow(),
                rs.getObject("pinned_credential_id", UUID.class), rs.getBoolean("managed"),
                (ObjectNode) json.readTree(rs.getString("session_json")),
                rs.getString("end_user"), (Integer) rs.getObject("max_session_seconds"));
    }

    /** Drops rows of tokens that expired more than {@link #RETENTION} ago. */
    int purge(Instant now) {
        return jdbc.sql("DELETE FROM session_tokens WHERE expires_at < :cutoff")
                .param("cutoff", Timestamp.from(now.minus(RETENTION))).update();
    }
}
