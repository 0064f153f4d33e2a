package io.paybridge.webhookingest.webhook;

import java.time.Instant;
import java.util.UUID;

/**
 * A quarantined event as operators see it ({@code GET /operations/quarantine}).
 *
 * @param id the quarantine id, used to release it
 * @param deliveryId the first delivery that carried it ({@code webhook_delivery.id})
 * @param webhookId that delivery's {@code meta.webhook_id}
 * @param eventIndex its position in the delivery's {@code events}; {@code null} when the whole body
 *     is quarantined (it is in {@code webhook_delivery.body})
 * @param reason a {@link QuarantineReason} tag, e.g. {@code missing_action}
 * @param detail why, for humans
 * @param eventId its {@code id} as sent, when that is a string
 * @param rawEvent the event exactly as in the signed body ({@code null} for a whole body)
 * @param createdAt when it was quarantined
 * @param releasedAt when an operator released it, or {@code null}
 * @param releasedBy who released it
 * @param releaseReason why, as the operator said
 * @param corrected the JSON released instead of the stored one, if the operator gave one
 */
record QuarantinedEvent(
    long id,
    UUID deliveryId,
    String webhookId,
    Integer eventIndex,
    String reason,
    String detail,
    String eventId,
    String rawEvent,
    Instant createdAt,
    Instant releasedAt,
    String releasedBy,
    String releaseReason,
    String corrected) {

  boolean wholeBody() {
    return eventIndex == null;
  }

  boolean released() {
    return releasedAt != null;
  }
}
