package io.paybridge.platform.events;

import java.util.Objects;
import java.util.UUID;

/**
 * The envelope of an event on its way out of a service: one row of the service's {@code
 * outbox_event} table, one Kafka record once relayed.
 *
 * @param id the event id, unique per producing service; becomes the {@code id} and {@code ce_id}
 *     headers, the key consumers deduplicate on (a GoCardless event id, or a UUID for the
 *     platform's own events)
 * @param topic the destination topic (the outbox's {@code aggregatetype} column)
 * @param key the record key, the id of the resource the event is about (the {@code aggregateid})
 * @param type the event type ({@code eventType} and {@code ce_type} headers)
 * @param payload the record value, a JSON document, kept byte for byte
 * @param tenant the owning team, or {@code null} when not known
 * @param organisationId the GoCardless organisation, or {@code null} when not known
 * @param traceparent W3C trace context, or {@code null}
 */
public record OutboxEvent(
    String id,
    String topic,
    String key,
    String type,
    String payload,
    String tenant,
    String organisationId,
    String traceparent) {

  /** The longest event id: the {@code outbox_event.id} column and consumers' dedup keys. */
  public static final int MAX_ID_LENGTH = 64;

  public OutboxEvent {
    if (id == null || id.isBlank() || id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("An outbox event needs an id of at most 64 characters");
    }
    Topics.requireValid(topic);
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("An outbox event needs a key (the resource id)");
    }
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("An outbox event needs a type");
    }
    Objects.requireNonNull(payload, "payload");
  }

  /** An event without tenant, organisation or trace context. */
  public static OutboxEvent of(String id, String topic, String key, String type, String payload) {
    return new OutboxEvent(id, topic, key, type, payload, null, null, null);
  }

  /** An event with a new random id, for the platform's own facts. */
  public static OutboxEvent newEvent(String topic, String key, String type, String payload) {
    return of(UUID.randomUUID().toString(), topic, key, type, payload);
  }

  /** The same event, owned by {@code tenant}. */
  public OutboxEvent withTenant(String tenant) {
    return new OutboxEvent(id, topic, key, type, payload, tenant, organisationId, traceparent);
  }

  /** The same event, about GoCardless organisation {@code organisationId}. */
  public OutboxEvent withOrganisationId(String organisationId) {
    return new OutboxEvent(id, topic, key, type, payload, tenant, organisationId, traceparent);
  }

  /** The same event, carrying the W3C trace context {@code traceparent}. */
  public OutboxEvent withTraceparent(String traceparent) {
    return new OutboxEvent(id, topic, key, type, payload, tenant, organisationId, traceparent);
  }
}
