package io.paybridge.platform.outbox;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;
import org.springframework.core.convert.ConversionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.TransactionTimedOutException;

/**
 * Sorts a listener's failure into what the consumer does with the record:
 *
 * <ul>
 *   <li>{@link Kind#POISON}: the record can never be applied. {@link PoisonMessageException}, and
 *       the framework's own "cannot read this record" failures: {@code DeserializationException},
 *       {@code MessageConversionException}, {@code ConversionException}, {@code
 *       MethodArgumentResolutionException} (including a failed {@code @Valid}), {@code
 *       NoSuchMethodException} and {@code ClassCastException} (no handler for the payload's type).
 *       Dead-lettered at once.
 *   <li>{@link Kind#TRANSIENT}: something the consumer depends on is failing, not the record. A
 *       {@link TransientFailure}; Spring's {@code TransientDataAccessException}, {@code
 *       RecoverableDataAccessException}, {@code DataAccessResourceFailureException}, {@code
 *       CannotCreateTransactionException}, {@code TransactionTimedOutException}; JDBC's {@code
 *       SQLTransientException}, {@code SQLRecoverableException} and a {@code SQLException} whose
 *       SQL state says connection lost, out of resources, shutting down, serialization failure,
 *       deadlock, lock or statement timeout, or read-only (a standby during fail-over); socket
 *       errors and timeouts, {@code UnknownHostException}; Kafka's {@code RetriableException}.
 *       Retried until it passes.
 *   <li>{@link Kind#OTHER}: anything else, typically a bug. Retried a few times, then
 *       dead-lettered.
 * </ul>
 *
 * <p>The cause chain is walked from the outside in and the first exception that matches decides, so
 * a service's own wrapper decides over what it wraps. A {@code TransactionSystemException} that
 * overrides the handler's exception (a rollback that failed, typically on a connection the pool
 * closed because the database went away) is classified by that original exception first, which
 * Spring keeps outside the cause chain: a connection failure stays transient, not a bug. {@code
 * IllegalArgumentException}, {@code IllegalStateException} and JSON parsing errors are deliberately
 * not poison: they are thrown by bugs as often as by bad input; a listener that knows a record is
 * unreadable says so with {@link PoisonMessageException}. Nor is every {@code IOException}
 * transient (Jackson 2's parse errors are {@code IOException}s).
 */
public final class ConsumerFailures {

  /** What a failure means for the record. */
  public enum Kind {
    POISON,
    TRANSIENT,
    OTHER
  }

  private static final List<Class<? extends Throwable>> POISON =
      List.of(
          PoisonMessageException.class,
          DeserializationException.class,
          MessageConversionException.class,
          ConversionException.class,
          MethodArgumentResolutionException.class,
          NoSuchMethodException.class,
          ClassCastException.class);

  private static final List<Class<? extends Throwable>> TRANSIENT =
      List.of(
          TransientDataAccessException.class,
          RecoverableDataAccessException.class,
          DataAccessResourceFailureException.class,
          CannotCreateTransactionException.class,
          TransactionTimedOutException.class,
          SQLTransientException.class,
          SQLRecoverableException.class,
          SocketException.class,
          SocketTimeoutException.class,
          UnknownHostException.class,
          HttpTimeoutException.class,
          TimeoutException.class,
          RetriableException.class);

  /**
   * SQL states (PostgreSQL's, mostly standard) of failures that pass on their own: class 08
   * connection exception, class 53 insufficient resources, admin/crash shutdown, cannot connect
   * now, idle session timeout, serialization failure, deadlock, lock not available, statement
   * cancelled (statement or transaction timeout), read-only transaction (connected to a standby).
   */
  private static final Set<String> TRANSIENT_SQL_STATES =
      Set.of("57P01", "57P02", "57P03", "57P05", "40001", "40P01", "55P03", "57014", "25006");

  private ConsumerFailures() {}

  /** What {@code failure} means for the record that caused it. */
  public static Kind classify(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof TransactionSystemException system
          && system.getApplicationException() != null) {
        // A commit or rollback that failed after the handler had failed (typically a rollback on a
        // connection the pool closed when the database went away): Spring throws the rollback's
        // failure and keeps the handler's as the application exception, outside the cause chain.
        // What the handler met decides, when it is anything known.
        Kind original = classify(system.getApplicationException());
        if (original != Kind.OTHER) {
          return original;
        }
      }
      if (t instanceof TransientFailure) {
        return Kind.TRANSIENT;
      }
      if (isAny(t, POISON)) {
        return Kind.POISON;
      }
      if (isAny(t, TRANSIENT) || hasTransientSqlState(t)) {
        return Kind.TRANSIENT;
      }
    }
    return Kind.OTHER;
  }

  /** The first {@link TransientFailure#retryAfter()} hint in {@code failure}'s cause chain. */
  public static Optional<Duration> retryAfter(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof TransientFailure transientFailure) {
        var hint = transientFailure.retryAfter();
        if (hint.isPresent()) {
          return hint;
        }
      }
    }
    return Optional.empty();
  }

  private static boolean isAny(Throwable t, List<Class<? extends Throwable>> types) {
    for (var type : types) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasTransientSqlState(Throwable t) {
    if (!(t instanceof SQLException sql) || sql.getSQLState() == null) {
      return false;
    }
    String state = sql.getSQLState();
    return state.startsWith("08") || state.startsWith("53") || TRANSIENT_SQL_STATES.contains(state);
  }
}
