package dev.latchkey.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.web.Ids;

/**
 * Reads {@code usage_ledger} and appends reversals; charges are appended by the group commit
 * ({@link LedgerCommitter}). The database refuses anything but appends.
 */
@Component
class LedgerEntries {

    static final String COLUMNS = """
            id, occurred_at, kind, reverses_id, provider, operation, quantity, unit_price_micros, amount_micros,
            currency, api_key_id, credential_id, credential_source, end_user, request_id, note""";

    private final JdbcClient jdbc;

    LedgerEntries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Appends the reversal of a charge: the same event with the quantity and amount negated. A
     * charge is reversed at most once (a unique constraint); 404 for another org's entry.
     */
    LedgerEntryView appendReversal(UUID orgId, UUID chargeId, String note, String requestId, Instant occurredAt) {
        UUID id = Ids.newId();
        int inserted = jdbc.sql("""
                INSERT INTO usage_ledger (id, occurred_at, org_id, kind, reverses_id, api_key_id, credential_id,
                    credential_source, provider, operation, quantity, unit_price_micros, amount_micros, currency,
                    price_id, end_user, request_id, note)
                SELECT :id, :occurredAt, org_id, 'reversal', id, api_key_id, credential_id, credential_source,
                    provider, operation, -quantity, unit_price_micros, -amount_micros, currency, price_id, end_user,
                    :requestId, :note
                FROM usage_ledger WHERE id = :chargeId AND org_id = :orgId AND kind = 'charge'""")
                .param("id", id).param("occurredAt", Timestamp.from(occurredAt)).param("requestId", requestId)
                .param("note", note).param("chargeId", chargeId).param("orgId", orgId)
                .update();
        if (inserted == 0) {
            throw LatchkeyException.notFound("Ledger entry");
        }
        return find(orgId, id);
    }

    LedgerEntryView find(UUID orgId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM usage_ledger WHERE org_id = :orgId AND id = :id")
                .param("orgId", orgId).param("id", id)
                .query((rs, n) -> view(rs)).optional()
                .orElseThrow(() -> LatchkeyException.notFound("Ledger entry"));
    }

    /**
     * A row as an organization sees it: a managed event's credential is the platform's, which a
     * tenant never learns anything about but its provider, so its id is not shown.
     */
    static LedgerEntryView view(ResultSet rs) throws SQLException {
        String source = rs.getString("credential_source");
        UUID credentialId = CredentialSource.MANAGED.value().equals(source) ? null
                : rs.getObject("credential_id", UUID.class);
        return new LedgerEntryView(rs.getObject("id", UUID.class), rs.getTimestamp("occurred_at").toInstant(),
                rs.getString("kind"), rs.getObject("reverses_id", UUID.class), rs.getString("provider"),
                rs.getString("operation"), rs.getLong("quantity"), rs.getLong("unit_price_micros"),
                rs.getLong("amount_micros"), rs.getString("currency"), rs.getObject("api_key_id", UUID.class),
                credentialId, source, rs.getString("end_user"), rs.getString("request_id"), rs.getString("note"));
    }
}
