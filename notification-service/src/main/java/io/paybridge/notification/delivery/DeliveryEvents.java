package io.paybridge.notification.delivery;

import io.paybridge.platform.events.notifications.DeliveryEvent;
import io.paybridge.platform.outbox.OutboxWriter;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Appends {@link DeliveryEvent}s to the outbox in the caller's transaction; topic, key, type and
 * headers are the contract's (platform/events), the JSON is pinned by golden files.
 */
@Component
class DeliveryEvents {

  private final OutboxWriter outbox;
  private final ObjectMapper mapper;

  DeliveryEvents(OutboxWriter outbox, ObjectMapper mapper) {
    this.outbox = outbox;
    this.mapper = mapper;
  }

  /** Publishes several events, in order, in one batch. */
  void publishAll(java.util.List<? extends DeliveryEvent> events) {
    outbox.appendAll(
        events.stream().map(e -> e.toOutboxEvent(mapper.writeValueAsString(e))).toList());
  }

  /** Publishes {@code event}; returns its event id. */
  String publish(DeliveryEvent event) {
    var row = event.toOutboxEvent(mapper.writeValueAsString(event));
    outbox.append(row);
    return row.id();
  }
}
