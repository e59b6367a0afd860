package dev.latchkey.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import dev.latchkey.support.IntegrationTest;
import dev.latchkey.support.TestInfrastructure;

/**
 * Direct access to {@code audit_events} for tests that play the attacker with database access:
 * with the append-only trigger disabled inside the test's own transaction (so the application
 * never sees it disabled), change or delete rows, and put them back exactly as they were.
 */
final class AuditTable {

    private AuditTable() {
    }

    /** A row as it was, to restore it afterwards. */
    record Snapshot(long seq, String id, String json) {
    }

    static long lastSeq() throws SQLException {
        IntegrationTest.awaitAuditLinked();
        return single("SELECT max(seq) FROM audit_events");
    }

    /** Events of one action. */
    static long count(String action) throws SQLException {
        // Linked rows only: a row still pending (e.g. the previous test's verification) would be counted later.
        IntegrationTest.awaitAuditLinked();
        return single("SELECT count(*) FROM audit_events WHERE action = '" + action.replace("'", "''") + "'");
    }

    static long count() throws SQLException {
        IntegrationTest.awaitAuditLinked();
        return single("SELECT count(*) FROM audit_events");
    }

    static Snapshot snapshot(long seq) throws SQLException {
        IntegrationTest.awaitAuditLinked(); // the row may still be pending: the linker appends it shortly
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT id::text, to_jsonb(t)::text FROM audit_events t WHERE seq = ?")) {
            statement.setLong(1, seq);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no audit row with seq " + seq);
                }
                return new Snapshot(seq, rs.getString(1), rs.getString(2));
            }
        }
    }

    /** Runs statements with the UPDATE/DELETE trigger disabled, in one transaction. */
    static void tamper(String... sql) throws SQLException {
        try (Connection connection = TestInfrastructure.get().connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete");
            for (String one : sql) {
                statement.execute(one);
            }
            statement.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete");
            connection.commit();
        }
    }

    /** Puts rows back exactly as they were snapshotted. */
    static void restore(Snapshot... snapshots) throws SQLException {
        List<String> sql = new ArrayList<>();
        for (Snapshot snapshot : snapshots) {
            sql.add("DELETE FROM audit_events WHERE seq = " + snapshot.seq() + " OR id = '" + snapshot.id() + "'");
            sql.add("INSERT INTO audit_events SELECT * FROM jsonb_populate_record(null::audit_events, '"
                    + snapshot.json().replace("'", "''") + "'::jsonb)");
        }
        tamper(sql.toArray(String[]::new));
    }

    /**
     * Runs statements as the application would, trigger enabled, and rolls back; returns the
     * database's refusal message, or null when it refused nothing.
     */
    static String refusal(String... sql) {
        try (Connection connection = TestInfrastructure.get().connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                for (String one : sql) {
                    statement.execute(one);
                }
                connection.rollback();
                return null;
            } catch (SQLException refused) {
                connection.rollback();
                return refused.getMessage();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What an attacker holding the database's logins would do after editing history: recompute
     * every hash from {@code seq} on and move the chain head, so that the links hold again. The
     * chain head stays locked meanwhile, so the linker appends nothing in between.
     */
    static void rechainFrom(long seq, String... edits) throws SQLException {
        try (Connection connection = TestInfrastructure.get().connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("SELECT 1 FROM audit_chain_head WHERE id = 1 FOR UPDATE");
            statement.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete");
            for (String edit : edits) {
                statement.execute(edit);
            }
            String previous;
            try (ResultSet rs = statement.executeQuery("SELECT hash FROM audit_events WHERE seq = " + (seq - 1))) {
                previous = rs.next() ? rs.getString(1) : AuditChain.GENESIS;
            }
            List<AuditChain.Row> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT " + AuditRows.COLUMNS + " FROM audit_events WHERE seq >= "
                    + seq + " ORDER BY seq")) {
                while (rs.next()) {
                    rows.add(AuditRows.row(rs));
                }
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?")) {
                for (AuditChain.Row row : rows) {
                    String hash = AuditChain.hash(previous, row);
                    update.setString(1, previous);
                    update.setString(2, hash);
                    update.setLong(3, row.seq());
                    update.executeUpdate();
                    previous = hash;
                }
            }
            try (PreparedStatement head = connection.prepareStatement(
                    "UPDATE audit_chain_head SET last_seq = ?, last_hash = ? WHERE id = 1")) {
                head.setLong(1, rows.isEmpty() ? seq - 1 : rows.get(rows.size() - 1).seq());
                head.setString(2, previous);
                head.executeUpdate();
            }
            statement.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete");
            connection.commit();
        }
    }

    private static long single(String sql) throws SQLException {
        try (Connection connection = TestInfrastructure.get().connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
