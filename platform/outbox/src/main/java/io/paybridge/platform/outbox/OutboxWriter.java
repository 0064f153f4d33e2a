package io.paybridge.platform.outbox;

import io.paybridge.platform.events.OutboxEvent;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes events to the service's outbox inside the caller's transaction, so that an event is
 * published if and only if the state change that caused it commits.
 */
public class OutboxWriter {

  private static final String INSERT =
      """
      insert into outbox_event
          (id, aggregatetype, aggregateid, type, payload, tenant, organisation_id, traceparent, created_at)
      values (?, ?, ?, ?, ?::json, ?, ?, ?, ?)
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
    jdbc.batchUpdate(
        INSERT,
        events,
        events.size(),
        (statement, event) -> {
          statement.setString(1, event.id());
          statement.setString(2, event.topic());
          statement.setString(3, event.key());
          statement.setString(4, event.type());
          statement.setString(5, event.payload());
          statement.setString(6, event.tenant());
          statement.setString(7, event.organisationId());
          statement.setString(8, event.traceparent() != null ? event.traceparent() : current);
          statement.setTimestamp(9, createdAt);
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
}
