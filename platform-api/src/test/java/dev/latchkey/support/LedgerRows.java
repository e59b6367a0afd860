package dev.latchkey.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What the usage ledger holds, read straight from the run's database (fault tests compare it with what clients got). */
public final class LedgerRows {

    private LedgerRows() {
    }

    /** The request id of every ledger row of one organization, duplicates included. */
    public static List<String> requestIds(UUID orgId) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection connection = TestInfrastructure.get().connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT request_id FROM usage_ledger WHERE org_id = ?")) {
            query.setObject(1, orgId);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }
}
