package io.paybridge.billing.events;

import io.paybridge.platform.events.billing.BillingFact;
import io.paybridge.platform.outbox.OutboxWriter;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Appends {@link BillingFact}s to the outbox in the caller's transaction. Topic, key, type and
 * headers are the contract's (platform/events); the JSON is this service's mapper's rendering of
 * the record, pinned by golden files.
 */
@Component
class BillingFacts {

  private final OutboxWriter outbox;
  private final ObjectMapper mapper;

  BillingFacts(OutboxWriter outbox, ObjectMapper mapper) {
    this.outbox = outbox;
    this.mapper = mapper;
  }

  void publish(BillingFact fact) {
    outbox.append(fact.toOutboxEvent(mapper.writeValueAsString(fact)));
  }

  /** Appends the facts in the order given, in one batch of statements. */
  void publishAll(List<BillingFact> facts) {
    if (!facts.isEmpty()) {
      outbox.appendAll(
          facts.stream().map(f -> f.toOutboxEvent(mapper.writeValueAsString(f))).toList());
    }
  }
}
