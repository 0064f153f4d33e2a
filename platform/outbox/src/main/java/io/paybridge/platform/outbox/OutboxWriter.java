package io.paybridge.platform.outbox;

import io.paybridge.platform.events.OutboxEvent;
import java.sql.Array;
import java.sql.Connection;
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
  // PostgreSQL binds and executes as a statement of its own.
  private static final String INSERT =
      """
      insert into outbox_event
          (id, aggregatetype, aggregateid, type, payload, tenant, organisation_id, traceparent, created_at)
      select e.id, e.aggregatetype, e.aggregateid, e.type, e.payload::json, e.tenant, e.organisation_id,
             e.traceparent, ?::timestamptz
      from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
           as e(id, aggregatetype, aggregateid, type, payload, tenant, organisation_id, traceparent)
      """;

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
    var createdAt = Timestamp.from(Instant.now());
    String current = tracing.currentTraceparent();
    var rows = List.copyOf(events);
    jdbc.update(
        connection -> {
          var statement = connection.prepareStatement(INSERT);
          statement.setTimestamp(1, createdAt);
          statement.setArray(2, textArray(connection, rows, OutboxEvent::id));
          statement.setArray(3, textArray(connection, rows, OutboxEvent::topic));
          statement.setArray(4, textArray(connection, rows, OutboxEvent::key));
          statement.setArray(5, textArray(connection, rows, OutboxEvent::type));
          statement.setArray(6, textArray(connection, rows, OutboxEvent::payload));
          statement.setArray(7, textArray(connection, rows, OutboxEvent::tenant));
          statement.setArray(8, textArray(connection, rows, OutboxEvent::organisationId));
          statement.setArray(
              9,
              textArray(
                  connection,
                  rows,
                  event -> event.traceparent() != null ? event.traceparent() : current));
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
