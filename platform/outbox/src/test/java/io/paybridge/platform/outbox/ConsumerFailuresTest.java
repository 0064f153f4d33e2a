package io.paybridge.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.outbox.ConsumerFailures.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

class ConsumerFailuresTest {

  @Test
  void poisonIsWhatCanNeverBeRead() {
    assertThat(kind(new PoisonMessageException("not JSON"))).isEqualTo(Kind.POISON);
    assertThat(kind(new DeserializationException("bad", new byte[0], false, null)))
        .isEqualTo(Kind.POISON);
    assertThat(kind(new MessageConversionException("no converter"))).isEqualTo(Kind.POISON);
  }

  @Test
  void transientIsADependencyFailing() {
    assertThat(kind(new TransientFailureException("GoCardless answered 429")))
        .isEqualTo(Kind.TRANSIENT);
    assertThat(kind(new CannotCreateTransactionException("no connection")))
        .isEqualTo(Kind.TRANSIENT);
    assertThat(kind(new CannotGetJdbcConnectionException("refused"))).isEqualTo(Kind.TRANSIENT);
    assertThat(kind(new QueryTimeoutException("statement timeout"))).isEqualTo(Kind.TRANSIENT);
    assertThat(kind(new CannotAcquireLockException("lock timeout"))).isEqualTo(Kind.TRANSIENT);
    assertThat(kind(new SQLTransientConnectionException("pool exhausted")))
        .isEqualTo(Kind.TRANSIENT);
    assertThat(kind(new ConnectException("Connection refused"))).isEqualTo(Kind.TRANSIENT);
    assertThat(kind(new TimeoutException("Kafka did not answer"))).isEqualTo(Kind.TRANSIENT);
  }

  @Test
  void readsSqlStatesThatSpringCouldNotCategorise() {
    assertThat(kind(uncategorised("08006"))).isEqualTo(Kind.TRANSIENT); // connection failure
    assertThat(kind(uncategorised("57P01"))).isEqualTo(Kind.TRANSIENT); // admin shutdown
    assertThat(kind(uncategorised("40001"))).isEqualTo(Kind.TRANSIENT); // serialization failure
    assertThat(kind(uncategorised("23505"))).isEqualTo(Kind.OTHER); // unique violation
  }

  @Test
  void aTransientCauseMakesAWrappedFailureTransient() {
    var wrapped =
        new ListenerExecutionFailedException(
            "listener failed",
            new IllegalStateException(
                "creditor read failed", new SocketTimeoutException("Read timed out")));
    assertThat(kind(wrapped)).isEqualTo(Kind.TRANSIENT);
  }

  @Test
  void theOutermostMatchDecides() {
    assertThat(kind(new PoisonMessageException("unreadable", new ConnectException("refused"))))
        .isEqualTo(Kind.POISON);
    assertThat(
            kind(new TransientFailureException("GoCardless 503", new PoisonMessageException("x"))))
        .isEqualTo(Kind.TRANSIENT);
  }

  @Test
  void anythingElseIsOther() {
    assertThat(kind(new IllegalStateException("bug"))).isEqualTo(Kind.OTHER);
    assertThat(kind(new IllegalArgumentException("bad amount"))).isEqualTo(Kind.OTHER);
    assertThat(kind(new DuplicateKeyException("duplicate"))).isEqualTo(Kind.OTHER);
    assertThat(kind(new DataIntegrityViolationException("not null"))).isEqualTo(Kind.OTHER);
    assertThat(kind(new UncheckedIOException(new IOException("unexpected end of JSON"))))
        .isEqualTo(Kind.OTHER);
  }

  @Test
  void findsARetryAfterHintAnywhereInTheChain() {
    var hinted =
        new IllegalStateException(
            "wrapped", new TransientFailureException("429", Duration.ofSeconds(7), null));
    assertThat(ConsumerFailures.retryAfter(hinted)).contains(Duration.ofSeconds(7));
    assertThat(ConsumerFailures.retryAfter(new TransientFailureException("503"))).isEmpty();
  }

  @Test
  void aRollbackThatFailedOnALostConnectionIsClassifiedByWhatTheHandlerMet() {
    // TransactionTemplate when the database went away mid-transaction: the statement failed on the
    // dropped connection, the pool closed it, the rollback failed on the closed connection.
    var lost =
        new DataAccessResourceFailureException(
            "insert",
            new SQLException("An I/O error occurred while sending to the backend", "08006"));
    var rollbackFailed =
        new TransactionSystemException(
            "JDBC rollback failed", new SQLException("Connection is closed"));
    rollbackFailed.initApplicationException(lost);
    assertThat(kind(rollbackFailed)).isEqualTo(Kind.TRANSIENT);
    assertThat(kind(new ListenerExecutionFailedException("listener failed", rollbackFailed)))
        .isEqualTo(Kind.TRANSIENT);

    // A bug whose rollback then failed is still a bug; poison still poison.
    var bugThenRollbackFailed =
        new TransactionSystemException(
            "JDBC rollback failed", new SQLException("Connection is closed"));
    bugThenRollbackFailed.initApplicationException(new IllegalStateException("bug"));
    assertThat(kind(bugThenRollbackFailed)).isEqualTo(Kind.OTHER);
    var poisonThenRollbackFailed =
        new TransactionSystemException(
            "JDBC rollback failed", new SQLException("Connection is closed"));
    poisonThenRollbackFailed.initApplicationException(new PoisonMessageException("not JSON"));
    assertThat(kind(poisonThenRollbackFailed)).isEqualTo(Kind.POISON);
    // A failed commit carries its own cause: its SQL state decides as before.
    assertThat(
            kind(
                new TransactionSystemException(
                    "Could not commit JDBC transaction", new SQLException("I/O error", "08006"))))
        .isEqualTo(Kind.TRANSIENT);
  }

  private static Kind kind(Throwable failure) {
    return ConsumerFailures.classify(failure);
  }

  private static UncategorizedSQLException uncategorised(String sqlState) {
    return new UncategorizedSQLException(
        "insert", "insert ...", new SQLException("failed", sqlState));
  }
}
