package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.events.OutboxEvent;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.outbox.OutboxWriter;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores a webhook delivery, its events and the outbox records of the events never seen before, in
 * one transaction: once it commits, every new event will reach Kafka, and no event reaches it twice
 * from two deliveries.
 */
@Service
class WebhookIngestion {

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
           delivery_id, received_at, payload)
      select e.event_id, e.synthetic_id, e.resource_type, e.action, e.resource_id, e.organisation_id,
             e.occurred_at, ?, ?, e.payload::json
      from unnest(?::varchar[], ?::boolean[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                  ?::timestamptz[], ?::text[])
           as e(event_id, synthetic_id, resource_type, action, resource_id, organisation_id,
                occurred_at, payload)
      on conflict (event_id) do nothing
      returning event_id
      """;

  private final JdbcTemplate jdbc;
  private final OutboxWriter outbox;

  WebhookIngestion(JdbcTemplate jdbc, OutboxWriter outbox) {
    this.jdbc = jdbc;
    this.outbox = outbox;
  }

  @Transactional
  IngestResult ingest(WebhookDelivery delivery, List<GoCardlessEvent> events) {
    UUID deliveryId = UUID.randomUUID();
    var receivedAt = Timestamp.from(delivery.receivedAt());
    jdbc.update(
        INSERT_DELIVERY,
        deliveryId,
        delivery.webhookId(),
        receivedAt,
        delivery.signature(),
        delivery.userAgent(),
        delivery.origin(),
        delivery.traceparent(),
        delivery.body(),
        events.size());
    if (events.isEmpty()) {
      return new IngestResult(deliveryId, List.of(), List.of());
    }
    var newIds = new HashSet<>(insertEvents(deliveryId, receivedAt, events));
    var fresh = new ArrayList<GoCardlessEvent>();
    var duplicates = new ArrayList<GoCardlessEvent>();
    for (GoCardlessEvent event : events) {
      // remove(): an id repeated inside one batch is new at most once
      (newIds.remove(event.id()) ? fresh : duplicates).add(event);
    }
    outbox.appendAll(
        fresh.stream().map(event -> toOutboxEvent(event, delivery.traceparent())).toList());
    return new IngestResult(deliveryId, fresh, duplicates);
  }

  private List<String> insertEvents(
      UUID deliveryId, Timestamp receivedAt, List<GoCardlessEvent> events) {
    return jdbc.execute(
        (java.sql.Connection connection) -> {
          try (var statement = connection.prepareStatement(INSERT_NEW_EVENTS)) {
            statement.setObject(1, deliveryId);
            statement.setTimestamp(2, receivedAt);
            statement.setArray(
                3, connection.createArrayOf("varchar", column(events, GoCardlessEvent::id)));
            statement.setArray(
                4,
                connection.createArrayOf(
                    "boolean",
                    events.stream().map(GoCardlessEvent::syntheticId).toArray(Boolean[]::new)));
            statement.setArray(
                5,
                connection.createArrayOf("varchar", column(events, GoCardlessEvent::resourceType)));
            statement.setArray(
                6, connection.createArrayOf("varchar", column(events, GoCardlessEvent::action)));
            statement.setArray(
                7,
                connection.createArrayOf("varchar", column(events, GoCardlessEvent::resourceId)));
            statement.setArray(
                8,
                connection.createArrayOf(
                    "varchar", column(events, GoCardlessEvent::organisationId)));
            statement.setArray(
                9,
                connection.createArrayOf(
                    "timestamptz",
                    events.stream()
                        .map(e -> e.occurredAt() == null ? null : Timestamp.from(e.occurredAt()))
                        .toArray(Timestamp[]::new)));
            statement.setArray(
                10, connection.createArrayOf("text", column(events, GoCardlessEvent::json)));
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
      List<GoCardlessEvent> events, java.util.function.Function<GoCardlessEvent, String> field) {
    return events.stream().map(field).toArray(String[]::new);
  }

  private static OutboxEvent toOutboxEvent(GoCardlessEvent event, String traceparent) {
    return new OutboxEvent(
        event.id(),
        Topics.forGoCardlessResourceType(event.resourceType()),
        event.resourceId(),
        event.eventType(),
        event.json(),
        null, // the owning team is not known at the edge; consumers that know it add it
        event.organisationId(),
        traceparent);
  }

  /** What a delivery was made of. */
  record WebhookDelivery(
      String webhookId,
      Instant receivedAt,
      String signature,
      String userAgent,
      String origin,
      String traceparent,
      byte[] body) {}

  /** The delivery's events, split into those seen for the first time and duplicates. */
  record IngestResult(
      UUID deliveryId, List<GoCardlessEvent> fresh, List<GoCardlessEvent> duplicates) {}
}
