package io.paybridge.webhookingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Which failures mean "the database could not be used" (503, GoCardless delivers again) and which
 * are the service's own (500): {@link WebhookRepository#meansStorageUnavailable}.
 */
class StorageFailureTest {

  @Test
  void aRollbackThatFailedAfterAConnectionErrorIsTheDatabase() {
    // What a PostgreSQL stopped or hung mid-transaction produced: the statement's connection error,
    // then the rollback on the connection the pool had closed meanwhile.
    var rollback =
        new TransactionSystemException(
            "JDBC rollback failed", new SQLException("Connection is closed"));
    rollback.initApplicationException(
        new DataAccessResourceFailureException(
            "I/O error", new SQLException("An I/O error occurred", "08006")));
    assertThat(WebhookRepository.meansStorageUnavailable(rollback)).isTrue();
  }

  @Test
  void aCommitOrRollbackThatFailedOnItsOwnIsTheDatabase() {
    assertThat(
            WebhookRepository.meansStorageUnavailable(
                new TransactionSystemException(
                    "JDBC rollback failed", new SQLException("Connection is closed"))))
        .isTrue();
  }

  @Test
  void aRollbackThatFailedAfterABugIsTheBug() {
    var rollback =
        new TransactionSystemException(
            "JDBC rollback failed", new SQLException("Connection is closed"));
    rollback.initApplicationException(new IllegalStateException("a bug"));
    assertThat(WebhookRepository.meansStorageUnavailable(rollback)).isFalse();
  }

  @Test
  void connectionAndOperatorInterventionStatesAreTheDatabaseWhateverTheWrapper() {
    for (String state : new String[] {"08001", "08006", "57P01", "57P03", "53300"}) {
      assertThat(
              WebhookRepository.meansStorageUnavailable(
                  new UncategorizedSQLException("insert", "sql", new SQLException("x", state))))
          .as(state)
          .isTrue();
    }
    assertThat(
            WebhookRepository.meansStorageUnavailable(
                new IllegalStateException(new SQLTransientConnectionException("pool timeout"))))
        .isTrue();
  }

  @Test
  void otherFailuresAreNot() {
    assertThat(
            WebhookRepository.meansStorageUnavailable(
                new UncategorizedSQLException("insert", "sql", new SQLException("x", "22P02"))))
        .isFalse();
    assertThat(
            WebhookRepository.meansStorageUnavailable(
                new DuplicateKeyException("duplicate", new SQLException("x", "23505"))))
        .isFalse();
    assertThat(WebhookRepository.meansStorageUnavailable(new NullPointerException())).isFalse();
  }
}
