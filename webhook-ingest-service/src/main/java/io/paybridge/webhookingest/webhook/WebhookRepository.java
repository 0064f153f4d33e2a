package io.paybridge.webhookingest.webhook;

import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The deliveries ({@code webhook_delivery}) and the inbox of events ({@code gocardless_event}). */
@Repository
class WebhookRepository {

  private static final String INSERT_DELIVERY =
      """
      insert into webhook_delivery
          (id, webhook_id, received_at, signature, user_agent, origin, traceparent, body, event_count)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?)
      """;

  // One statement for the whole batch; the unique event id makes a concurrent or later duplicate
  // insert nothing, and RETURNING tells which events are new.
  private static final String INSERT_NEW_EVENTS =
      """
      insert into gocardless_event
          (event_id, synthetic_id, resource_type, action, resource_id, organisation_id, occurred_at,
           delivery_id, received_at, payload, released_from)
      select e.event_id, e.synthetic_id, e.resource_type, e.action, e.resource_id, e.organisation_id,
             e.occurred_at, ?, ?, e.payload::json, ?
      from unnest(?::varchar[], ?::boolean[], ?::text[], ?::text[], ?::text[], ?::text[],
                  ?::timestamptz[], ?::text[])
           as e(event_id, synthetic_id, resource_type, action, resource_id, organisation_id,
                occurred_at, payload)
      on conflict (event_id) do nothing
      returning event_id
      """;

  private final JdbcTemplate jdbc;

  WebhookRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void insertDelivery(UUID id, WebhookIngestion.WebhookDelivery delivery, int eventCount) {
    jdbc.update(
        INSERT_DELIVERY,
        id,
        delivery.webhookId(),
        Timestamp.from(delivery.receivedAt()),
        delivery.signature(),
        delivery.userAgent(),
        delivery.origin(),
        delivery.traceparent(),
        delivery.body(),
        eventCount);
  }

  /** The delivery {@code id} as stored, or empty. */
  Optional<StoredDelivery> findDelivery(UUID id) {
    return jdbc
        .query(
            "select id, received_at, traceparent, body from webhook_delivery where id = ?",
            (rows, n) ->
                new StoredDelivery(
                    rows.getObject("id", UUID.class),
                    rows.getTimestamp("received_at").toInstant(),
                    rows.getString("traceparent"),
                    rows.getBytes("body")),
            id)
        .stream()
        .findFirst();
  }

  /**
   * Inserts the events the inbox does not hold yet.
   *
   * @param releasedFrom the quarantined event they come from, or {@code null} for a delivery
   * @return the ids inserted (an id repeated in {@code events} at most once)
   */
  List<String> insertNewEvents(
      UUID deliveryId, Instant receivedAt, List<GoCardlessEvent> events, Long releasedFrom) {
    return jdbc.execute(
        (Connection connection) -> {
          try (var statement = connection.prepareStatement(INSERT_NEW_EVENTS)) {
            statement.setObject(1, deliveryId);
            statement.setTimestamp(2, Timestamp.from(receivedAt));
            statement.setObject(3, releasedFrom, java.sql.Types.BIGINT);
            statement.setArray(
                4, connection.createArrayOf("varchar", column(events, GoCardlessEvent::id)));
            statement.setArray(
                5,
                connection.createArrayOf(
                    "boolean",
                    events.stream().map(GoCardlessEvent::syntheticId).toArray(Boolean[]::new)));
            statement.setArray(
                6, connection.createArrayOf("text", column(events, GoCardlessEvent::resourceType)));
            statement.setArray(
                7, connection.createArrayOf("text", column(events, GoCardlessEvent::action)));
            statement.setArray(
                8, connection.createArrayOf("text", column(events, GoCardlessEvent::resourceId)));
            statement.setArray(
                9,
                connection.createArrayOf("text", column(events, GoCardlessEvent::organisationId)));
            statement.setArray(
                10,
                connection.createArrayOf(
                    "timestamptz",
                    events.stream()
                        .map(e -> e.occurredAt() == null ? null : Timestamp.from(e.occurredAt()))
                        .toArray(Timestamp[]::new)));
            statement.setArray(
                11, connection.createArrayOf("text", column(events, GoCardlessEvent::json)));
            var inserted = new ArrayList<String>(events.size());
            try (var rows = statement.executeQuery()) {
              while (rows.next()) {
                inserted.add(rows.getString(1));
              }
            }
            return inserted;
          }
        });
  }

  private static String[] column(
      List<GoCardlessEvent> events, Function<GoCardlessEvent, String> field) {
    return events.stream().map(field).toArray(String[]::new);
  }

  /** A delivery as stored: what releasing one of its quarantined events needs. */
  record StoredDelivery(UUID id, Instant receivedAt, String traceparent, byte[] body) {}
}
