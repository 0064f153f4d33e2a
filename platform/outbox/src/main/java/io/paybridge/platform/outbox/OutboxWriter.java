package io.paybridge.platform.outbox;

import io.paybridge.platform.events.OutboxEvent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes events to the service's outbox inside the caller's transaction, so that an event is
 * published if and only if the state change that caused it commits.
 */
public class OutboxWriter {

  // One statement for all the events of a call, in the order given (the rows are inserted, and so
  // reach the WAL and the relay, in array order), rather than a JDBC batch, whose every row
  // PostgreSQL binds and executes as a statement of its own. %s: which of them to insert (a
  // condition on the event's id, e.id).
  private static final String INSERT_WHERE =
      """
      insert into outbox_event
          (id, aggregatetype, aggregateid, type, payload, tenant, organisation_id, traceparent, created_at)
      select e.id, e.aggregatetype, e.aggregateid, e.type, e.payload::json, e.tenant, e.organisation_id,
             e.traceparent, ?::timestamptz
      from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
           with ordinality
           as e(id, aggregatetype, aggregateid, type, payload, tenant, organisation_id, traceparent, ordinal)
      where %s
      order by e.ordinal
      """;

  private static final String INSERT = INSERT_WHERE.formatted("true");

  private final JdbcTemplate jdbc;
  private final boolean deleteAfterInsert;
  private final RecordTracing tracing;

  public OutboxWriter(JdbcTemplate jdbc, boolean deleteAfterInsert) {
    this(jdbc, deleteAfterInsert, RecordTracing.NONE);
  }

  /**
   * @param tracing where an event given without a {@code traceparent} takes it from: the span
   *     current when it is written (an HTTP request's, a consumer's apply span), so that the trace
   *     goes on through the relay into the event's consumers
   */
  public OutboxWriter(JdbcTemplate jdbc, boolean deleteAfterInsert, RecordTracing tracing) {
    this.jdbc = jdbc;
    this.deleteAfterInsert = deleteAfterInsert;
    this.tracing = tracing;
  }

  /** Appends one event. */
  public void append(OutboxEvent event) {
    appendAll(List.of(event));
  }

  /**
   * Appends events in the order given.
   *
   * @throws IllegalStateException when no transaction is active: an outbox write outside the state
   *     change's transaction would break the guarantee it exists for
   */
  public void appendAll(Collection<OutboxEvent> events) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new IllegalStateException("The outbox must be written inside the caller's transaction");
    }
    if (events.isEmpty()) {
      return;
    }
    var rows = List.copyOf(events);
    jdbc.update(
        connection -> {
          var statement = connection.prepareStatement(INSERT);
          bind(connection, statement, 0, rows);
          return statement;
        });
    if (deleteAfterInsert) {
      // The WAL keeps the inserts for the relay; the table itself stays empty.
      String[] ids = events.stream().map(OutboxEvent::id).toArray(String[]::new);
      jdbc.update(
          connection -> {
            var statement =
                connection.prepareStatement("delete from outbox_event where id = any(?)");
            statement.setArray(1, connection.createArrayOf("varchar", ids));
            return statement;
          });
    }
  }

  /**
   * The outbox insert as a part of a caller's own statement, for a caller that writes its state and
   * its events in one statement, which PostgreSQL runs as one transaction even in autocommit (one
   * round trip, no separate commit): compose the result as a data-modifying {@code WITH} query of
   * that statement and bind its parameters with {@link #bind}. It inserts, in the order bound, the
   * events whose id {@code idsQuery} returns (a query of the same statement, such as the ids
   * another of its {@code WITH} queries inserted).
   *
   * <p>Not for an outbox that deletes its rows after inserting them ({@link
   * #deletesAfterInsert()}): a statement does not see the rows it inserts, so the delete cannot be
   * part of it; use {@link #appendAll} in a transaction there.
   */
  public static String insertWhereIdIn(String idsQuery) {
    return INSERT_WHERE.formatted("e.id in (" + idsQuery + ")").strip();
  }

  /** Whether the outbox rows are deleted right after they are inserted (relayed from the WAL). */
  public boolean deletesAfterInsert() {
    return deleteAfterInsert;
  }

  /**
   * Binds the parameters of an outbox insert ({@link #insertWhereIdIn}, or this class's own) that
   * follow the first {@code before} of {@code statement}: the events, in the order they are to be
   * inserted, each without a {@code traceparent} given the current span's.
   *
   * @return how many parameters it bound
   */
  public int bind(
      Connection connection, PreparedStatement statement, int before, List<OutboxEvent> events)
      throws SQLException {
    String current = tracing.currentTraceparent();
    statement.setTimestamp(before + 1, Timestamp.from(Instant.now()));
    statement.setArray(before + 2, textArray(connection, events, OutboxEvent::id));
    statement.setArray(before + 3, textArray(connection, events, OutboxEvent::topic));
    statement.setArray(before + 4, textArray(connection, events, OutboxEvent::key));
    statement.setArray(before + 5, textArray(connection, events, OutboxEvent::type));
    statement.setArray(before + 6, textArray(connection, events, OutboxEvent::payload));
    statement.setArray(before + 7, textArray(connection, events, OutboxEvent::tenant));
    statement.setArray(before + 8, textArray(connection, events, OutboxEvent::organisationId));
    statement.setArray(
        before + 9,
        textArray(
            connection,
            events,
            event -> event.traceparent() != null ? event.traceparent() : current));
    return 9;
  }

  private static Array textArray(
      Connection connection, List<OutboxEvent> events, Function<OutboxEvent, String> column)
      throws SQLException {
    var values = new String[events.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = column.apply(events.get(i));
    }
    return connection.createArrayOf("text", values);
  }
}
