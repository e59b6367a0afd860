package dev.latchkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.latchkey.support.MeteredIntegrationTest;
import dev.latchkey.support.TestInfrastructure;

/**
 * The application connects as a role that can read and append billing and audit history but
 * never rewrite it; the migrations ran as the schema owner. A leak of the application's
 * credentials gives no more than the application itself may do.
 */
class DatabaseRolesIT extends MeteredIntegrationTest {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @Autowired
    private DataSource applicationDataSource;

    @Test
    void givenTheApplicationsOwnDataSource_whenRewritingTheLedgerOrTheAuditLog_thenPostgresRefusesEveryWay()
            throws SQLException {
        SignedUp owner = signUp();
        addLiveKitCredential(owner);
        assertThat(mintLiveKit(client().bearer(createApiKey(owner, "tokens:mint")), "roles").status()).isEqualTo(200);
        long ledgerRows = ledgerRows(owner.orgId());
        long auditRows = queryLong("SELECT count(*) FROM audit_events");
        assertThat(ledgerRows).isEqualTo(1);

        for (String table : List.of("usage_ledger", "audit_events")) {
            assertRefused("UPDATE " + table + " SET org_id = org_id", "permission denied for table " + table);
            assertRefused("DELETE FROM " + table, "permission denied for table " + table);
            assertRefused("TRUNCATE " + table, "permission denied for table " + table);
            assertRefused("ALTER TABLE " + table + " DISABLE TRIGGER ALL", "must be owner of table " + table);
            assertRefused("DROP TABLE " + table, "must be owner of table " + table);
        }
        assertRefused("ALTER TABLE usage_ledger DISABLE TRIGGER usage_ledger_no_update_delete",
                "must be owner of table usage_ledger");
        assertRefused("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete",
                "must be owner of table audit_events");
        assertRefused("SET LOCAL latchkey.audit_retention = 'on'; DELETE FROM audit_events",
                "permission denied for table audit_events");
        assertRefused("INSERT INTO audit_seals (seq, hash, first_seq, occurred_before, sealed_at)"
                + " VALUES (999999, 'x', 1, now() - interval '1 day', now())", "permission denied for table audit_seals");
        assertRefused("DELETE FROM flyway_schema_history", "permission denied for table flyway_schema_history");

        assertThat(ledgerRows(owner.orgId())).as("the ledger is as it was").isEqualTo(ledgerRows);
        assertThat(queryLong("SELECT count(*) FROM audit_events")).as("no audit row is gone").isGreaterThanOrEqualTo(auditRows);
    }

    @Test
    void givenTheApplicationsRole_whenAskingTheRetentionFunctionForMoreThanItMayPrune_thenNothingIsSealedOrDeleted() {
        issueApiKey(signUp(), "usage:read");
        long last = queryLong("SELECT max(seq) FROM audit_events");
        long rows = queryLong("SELECT count(*) FROM audit_events");

        String signed = ", 'local:v1', 'local:v1:forged')";
        assertRefused("SELECT * FROM audit_prune_sealed_prefix(" + last + ", now() + interval '1 day'" + signed,
                "cutoff that is not in the future");
        assertRefused("SELECT * FROM audit_prune_sealed_prefix(" + last + ", '2000-01-01T00:00:00Z'" + signed,
                "only prune rows older than its cutoff");
        assertRefused("SELECT * FROM audit_prune_sealed_prefix(" + (last + 1000) + ", now()" + signed,
                "gaps before seq " + (last + 1000));
        assertRefused("SELECT * FROM audit_prune_sealed_prefix(" + last + ", now(), NULL, NULL)",
                "needs the seal's signature");

        assertThat(queryLong("SELECT count(*) FROM audit_events")).isGreaterThanOrEqualTo(rows);
        assertThat(queryLong("SELECT count(*) FROM audit_seals WHERE seq >= " + last)).isZero();
    }

    @Test
    void givenTheMigrations_thenTheSchemaOwnerRanThemAndOwnsEveryTable() {
        TestInfrastructure infrastructure = TestInfrastructure.get();
        String owner = infrastructure.owner().name();

        assertThat(JdbcClient.create(applicationDataSource).sql("SELECT current_user").query(String.class).single())
                .isEqualTo(infrastructure.application().name());
        assertThat(queryStrings("SELECT DISTINCT installed_by FROM flyway_schema_history")).containsExactly(owner);
        assertThat(queryStrings("SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class"
                + " WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'S', 'v')")).containsExactly(owner);
    }

    @Test
    void givenARoleThatCanRewriteTheLedger_whenStartingInProduction_thenTheRoleCheckRefusesNamingTheTables() {
        TestInfrastructure infrastructure = TestInfrastructure.get();
        DataSource asOwner = DataSourceBuilder.create().url(infrastructure.jdbcUrl())
                .username(infrastructure.owner().name()).password(infrastructure.owner().password()).build();

        assertThat(DatabaseRoleCheck.rewritableTables(applicationDataSource)).isEmpty();
        assertThat(DatabaseRoleCheck.rewritableTables(asOwner)).containsExactly("audit_events", "usage_ledger");
        assertThatIllegalStateException().isThrownBy(() -> DatabaseRoleCheck.check(asOwner, true, false))
                .withMessageContaining("connects to the database as " + infrastructure.owner().name())
                .withMessageContaining("can rewrite audit_events and usage_ledger")
                .withMessageContaining("LATCHKEY_DATABASE_ALLOW_SINGLE_ROLE");
        DatabaseRoleCheck.check(asOwner, true, true); // explicitly accepted
        DatabaseRoleCheck.check(asOwner, false, false); // a warning outside production
        DatabaseRoleCheck.check(applicationDataSource, true, false);
    }

    /** Runs {@code sql} through the application's own data source, in a transaction rolled back afterwards. */
    private void assertRefused(String sql, String message) {
        assertThatThrownBy(() -> {
            try (Connection connection = applicationDataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    for (String one : sql.split("; ")) {
                        statement.execute(one);
                    }
                } finally {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
            }
        }).as(sql).isInstanceOf(SQLException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE));
    }

    private static List<String> queryStrings(String sql) {
        try (Connection connection = TestInfrastructure.get().connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
