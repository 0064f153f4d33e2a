package io.paybridge.platform.events.gocardless;

import io.paybridge.platform.events.OutboxEvent;

/**
 * Where and how a GoCardless event travels on Kafka ({@link GoCardlessRecords#of}).
 *
 * @param topic {@code gocardless.<resource type>}, or {@code gocardless.other}
 * @param key the record key: the id of the resource the event is about
 * @param eventId the {@code id} header, the consumers' deduplication key: GoCardless's event id, or
 *     a synthetic one for an event sent without
 * @param syntheticId whether {@code eventId} was derived
 * @param eventType the {@code eventType} header, {@code <resource_type>.<action>}
 * @param organisationId the {@code organisationId} header ({@code links.organisation}), or {@code
 *     null}
 */
public record GoCardlessRecord(
    String topic,
    String key,
    String eventId,
    boolean syntheticId,
    String eventType,
    String organisationId) {

  /**
   * The outbox row that publishes this record.
   *
   * @param payload the event's JSON exactly as GoCardless sent it
   * @param traceparent W3C trace context of the delivery, or {@code null}
   */
  public OutboxEvent toOutboxEvent(String payload, String traceparent) {
    // No tenant: the owning team is not known where GoCardless events enter the platform.
    return OutboxEvent.of(eventId, topic, key, eventType, payload)
        .withOrganisationId(organisationId)
        .withTraceparent(traceparent);
  }
}
