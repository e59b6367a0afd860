package dev.latchkey.runtime;

import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Checks, once the migrations have run, that the role the application connects as cannot
 * rewrite billing or audit history: it must neither own {@code usage_ledger} and
 * {@code audit_events} nor hold UPDATE, DELETE, TRUNCATE or TRIGGER on them. Production mode
 * refuses to start otherwise (unless {@code latchkey.database.allow-single-role}); elsewhere it
 * is a warning.
 */
public final class DatabaseRoleCheck {

    private static final Logger log = LoggerFactory.getLogger(DatabaseRoleCheck.class);

    static final List<String> APPEND_ONLY_TABLES = List.of("usage_ledger", "audit_events");

    private DatabaseRoleCheck() {
    }

    /** The append-only tables that the data source's role could rewrite (owner, superuser or a rewriting right). */
    public static List<String> rewritableTables(DataSource dataSource) {
        return JdbcClient.create(dataSource).sql("""
                SELECT t.name FROM unnest(CAST(:tables AS text[])) AS t (name)
                JOIN pg_class c ON c.oid = to_regclass(t.name)
                WHERE pg_has_role(current_user, c.relowner, 'USAGE')
                   OR has_table_privilege(c.oid, 'UPDATE') OR has_table_privilege(c.oid, 'DELETE')
                   OR has_table_privilege(c.oid, 'TRUNCATE') OR has_table_privilege(c.oid, 'TRIGGER')
                ORDER BY t.name""")
                .param("tables", APPEND_ONLY_TABLES.toArray(String[]::new))
                .query(String.class).list();
    }

    static void check(DataSource dataSource, boolean production, boolean singleRoleAllowed) {
        List<String> rewritable = rewritableTables(dataSource);
        if (rewritable.isEmpty()) {
            return;
        }
        String role = JdbcClient.create(dataSource).sql("SELECT current_user").query(String.class).single();
        String problem = "The application connects to the database as " + role + ", which can rewrite "
                + String.join(" and ", rewritable) + " (it owns them, is a superuser or may UPDATE, DELETE or TRUNCATE"
                + " them): a leak of its credentials could rewrite billing and audit history. Connect as a role that"
                + " may only SELECT and INSERT there and run the migrations as the schema owner (README, Database"
                + " roles)";
        if (production && !singleRoleAllowed) {
            throw new IllegalStateException(problem + ", or set LATCHKEY_DATABASE_ALLOW_SINGLE_ROLE=true to accept it");
        }
        log.warn("{}.", problem);
    }
}
