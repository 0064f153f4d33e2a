package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.events.OutboxEvent;
import io.paybridge.platform.events.gocardless.GoCardlessRecord;
import java.time.Instant;

/**
 * One event of a webhook that can be routed, with its record on Kafka (by the contract's rules,
 * {@code GoCardlessRecords}) and its JSON exactly as GoCardless sent it.
 *
 * @param record topic, key, event id (GoCardless's, or a synthetic one when GoCardless sent {@code
 *     null}, as it does for {@code organisations}/{@code disconnected}), event type, organisation
 * @param resourceType e.g. {@code payments}
 * @param action e.g. {@code confirmed}
 * @param occurredAt the event's {@code created_at}, or {@code null} when absent or unreadable
 * @param json the event's JSON, byte for byte as in the delivery
 */
record GoCardlessEvent(
    GoCardlessRecord record, String resourceType, String action, Instant occurredAt, String json)
    implements ParsedEvent {

  /** The event id, the inbox's unique key and the consumers' dedup key. */
  String id() {
    return record.eventId();
  }

  /** Whether {@link #id()} was derived. */
  boolean syntheticId() {
    return record.syntheticId();
  }

  /** The id of the resource the event is about: the record key. */
  String resourceId() {
    return record.key();
  }

  /** {@code links.organisation}, or {@code null}. */
  String organisationId() {
    return record.organisationId();
  }

  /** The event type on the wire: {@code <resource_type>.<action>}. */
  String eventType() {
    return record.eventType();
  }

  /** The outbox row that publishes the event, as sent. */
  OutboxEvent toOutboxEvent(String traceparent) {
    return record.toOutboxEvent(json, traceparent);
  }
}
