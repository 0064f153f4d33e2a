package io.paybridge.webhookingest.webhook;

import java.time.Instant;

/**
 * One event of a webhook that can be routed, as far as routing needs it, with its JSON exactly as
 * GoCardless sent it.
 *
 * @param id GoCardless's event id, or a synthetic one derived from the event when GoCardless sent
 *     {@code null} (it does for {@code organisations}/{@code disconnected})
 * @param syntheticId whether {@code id} was derived
 * @param resourceType e.g. {@code payments}
 * @param action e.g. {@code confirmed}
 * @param resourceId the id of the resource the event is about, from {@code links}
 * @param organisationId {@code links.organisation}, or {@code null}
 * @param occurredAt the event's {@code created_at}, or {@code null} when absent or unreadable
 * @param json the event's JSON, byte for byte as in the delivery
 */
record GoCardlessEvent(
    String id,
    boolean syntheticId,
    String resourceType,
    String action,
    String resourceId,
    String organisationId,
    Instant occurredAt,
    String json)
    implements ParsedEvent {

  /** The event type on the wire: {@code <resource_type>.<action>}. */
  String eventType() {
    return resourceType + "." + action;
  }
}
