package io.paybridge.oauth.merchant;

import io.paybridge.platform.events.merchants.MerchantConnectionEvent;
import io.paybridge.platform.outbox.OutboxWriter;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Appends {@link MerchantConnectionEvent}s to the outbox, in the caller's transaction. Topic, key,
 * type and headers are the contract's ({@code platform/events}); the JSON is this service's
 * mapper's rendering of the record, pinned by golden files.
 */
@Component
class MerchantEvents {

  private final OutboxWriter outbox;
  private final ObjectMapper mapper;

  MerchantEvents(OutboxWriter outbox, ObjectMapper mapper) {
    this.outbox = outbox;
    this.mapper = mapper;
  }

  void publish(MerchantConnectionEvent event) {
    outbox.append(event.toOutboxEvent(mapper.writeValueAsString(event)));
  }
}
