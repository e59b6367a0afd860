package dev.latchkey.web;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionException;

import dev.latchkey.kernel.LatchkeyException;
import dev.latchkey.kernel.ProblemType;

/**
 * Tells a failure of the database (down, unreachable, out of connections) from a bug: the first
 * is a 503 problem with {@code Retry-After}, answered within the pool's connection timeout, never
 * a 500 and never a stack trace in the response.
 */
public final class DependencyOutage {

    private DependencyOutage() {
    }

    /** The 503 to answer when {@code failure} (or any of its causes) says the database is unavailable. */
    public static Optional<LatchkeyException> of(Throwable failure) {
        boolean database = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // A connection that broke mid-transaction surfaces as its failed rollback (Hibernate's "Unable to
            // rollback against JDBC Connection" over Hikari's "Connection is closed", which has no SQL state,
            // sometimes with the I/O error underneath).
            database |= cause instanceof SQLException || cause instanceof DataAccessException
                    || cause instanceof TransactionException;
            if (cause instanceof LatchkeyException latchkey && latchkey.problemType().status() == 503) {
                return Optional.of(latchkey);
            }
            if (cause instanceof CannotGetJdbcConnectionException || cause instanceof CannotCreateTransactionException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessResourceException || cause instanceof QueryTimeoutException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof SQLException sql && unavailableState(sql.getSQLState())
                    || database && (cause instanceof IOException || closedConnection(cause))) {
                return Optional.of(new LatchkeyException(ProblemType.UNAVAILABLE, "The database is unavailable right"
                        + " now; nothing was changed or issued. Retry shortly", List.of(), Map.of("Retry-After", "2")));
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }

    private static boolean closedConnection(Throwable cause) {
        return cause instanceof SQLException sql && sql.getSQLState() == null && sql.getMessage() != null
                && sql.getMessage().toLowerCase(Locale.ROOT).contains("connection is closed");
    }

    /** Connection exceptions (08), insufficient resources (53), operator intervention such as a shutdown (57P). */
    private static boolean unavailableState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P"));
    }
}
