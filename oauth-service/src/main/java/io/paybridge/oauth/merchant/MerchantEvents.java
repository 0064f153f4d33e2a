package io.paybridge.oauth.merchant;

import io.paybridge.platform.events.OutboxEvent;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.outbox.OutboxWriter;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/** Appends {@link MerchantConnectionEvent}s to the outbox, in the caller's transaction. */
@Component
class MerchantEvents {

  private final OutboxWriter outbox;
  private final ObjectMapper mapper;

  MerchantEvents(OutboxWriter outbox, ObjectMapper mapper) {
    this.outbox = outbox;
    this.mapper = mapper;
  }

  void publish(MerchantConnectionEvent event) {
    outbox.append(toOutbox(event, mapper));
  }

  static OutboxEvent toOutbox(MerchantConnectionEvent event, ObjectMapper mapper) {
    return OutboxEvent.newEvent(
            Topics.MERCHANTS_CONNECTION,
            event.merchantId(),
            event.getClass().getSimpleName(),
            mapper.writeValueAsString(event))
        .withTenant(event.team())
        .withOrganisationId(event.organisationId());
  }
}
