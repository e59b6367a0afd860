package dev.latchkey.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketException;
import java.sql.SQLException;

import org.hibernate.TransactionException;
import org.junit.jupiter.api.Test;
import org.springframework.orm.jpa.JpaSystemException;

class DependencyOutageTest {

    @Test
    void givenAConnectionThatBrokeMidTransaction_whenItsRollbackFails_thenTheAnswerIsA503() {
        // What the soak saw when PostgreSQL restarted under a usage read: the rollback's failure
        // replaces the query's, and only the I/O error at the bottom says the database went away.
        RuntimeException rollbackFailure = new JpaSystemException(new TransactionException(
                "Unable to rollback against JDBC Connection",
                new SQLException("Connection is closed", new SocketException("Broken pipe"))));

        assertThat(DependencyOutage.of(rollbackFailure))
                .hasValueSatisfying(problem -> assertThat(problem.problemType().status()).isEqualTo(503));
    }

    @Test
    void givenAFailedRollbackOnAConnectionThePoolClosed_thenTheAnswerIsA503() {
        RuntimeException rollbackFailure = new JpaSystemException(new TransactionException(
                "Unable to rollback against JDBC Connection", new SQLException("Connection is closed")));

        assertThat(DependencyOutage.of(rollbackFailure))
                .hasValueSatisfying(problem -> assertThat(problem.problemType().status()).isEqualTo(503));
    }

    @Test
    void givenAnIoErrorOutsideTheDatabase_thenItIsNotCalledADatabaseOutage() {
        assertThat(DependencyOutage.of(new IllegalStateException(new IOException("disk full")))).isEmpty();
    }

    @Test
    void givenASqlErrorThatIsABug_thenItIsNotAnOutage() {
        assertThat(DependencyOutage.of(new JpaSystemException(new TransactionException("bad",
                new SQLException("syntax error", "42601"))))).isEmpty();
    }
}
