package io.paybridge.notification.delivery;

import io.paybridge.platform.events.payers.PayerErasureEvent.PayerErasureApplied;
import io.paybridge.platform.events.payers.PayerErasureEvent.PayerErasureRequested;
import io.paybridge.platform.outbox.OutboxWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * notification-service's part of a payer's erasure, in the idempotent consumer's transaction: the
 * deliveries of facts about the payer's resources keep the facts' ids, amounts, currencies, times
 * and causes, and lose every other field (descriptions, names, references, metadata); what the
 * receivers answered to them is forgotten. Then the acknowledgement is published.
 */
@Component
class PayerErasure {

  static final String SERVICE = "notification-service";

  /** The fields of a fact that are records of the payment, not about the person. */
  private static final Set<String> KEPT =
      Set.of(
          "team",
          "amount",
          "totalAmount",
          "currency",
          "occurredAt",
          "willAttemptRetry",
          "cause",
          "reasonCode",
          "verificationStatus",
          "reason",
          "connectedAt",
          "disconnectedAt",
          "changedAt");

  private final ErasureRepository deliveries;
  private final OutboxWriter outbox;
  private final ObjectMapper mapper;
  private final Clock clock;

  PayerErasure(
      ErasureRepository deliveries, OutboxWriter outbox, ObjectMapper mapper, Clock clock) {
    this.deliveries = deliveries;
    this.outbox = outbox;
    this.mapper = mapper;
    this.clock = clock;
  }

  void apply(PayerErasureRequested request) {
    Set<String> names = new HashSet<>(request.resourceIds());
    names.add(request.customerId());
    List<UUID> changed = new ArrayList<>();
    for (var found : deliveries.lockNaming(names)) {
      deliveries.replaceBody(found.id(), erased(found.body(), request));
      changed.add(found.id());
    }
    int attempts = deliveries.forgetResponses(changed);
    var applied =
        new PayerErasureApplied(
            request.requestId(), SERVICE, changed.size() + attempts, clock.instant());
    outbox.append(applied.toOutboxEvent(mapper.writeValueAsString(applied)));
  }

  private String erased(String body, PayerErasureRequested request) {
    JsonNode webhook = mapper.readTree(body);
    if (!(webhook instanceof ObjectNode object)
        || !(object.get("data") instanceof ObjectNode data)) {
      // Not the shape this service writes: nothing of it can be kept safely.
      return "{\"personalDataErased\":true}";
    }
    ObjectNode kept = mapper.createObjectNode();
    data.properties()
        .forEach(
            field -> {
              String name = field.getKey();
              JsonNode value = field.getValue();
              if (value.isString() && value.asString().equals(request.customerId())) {
                kept.put(name, request.pseudonym());
              } else if (name.endsWith("Id") || name.endsWith("Ids") || KEPT.contains(name)) {
                kept.set(name, value);
              }
            });
    kept.put("personalDataErased", true);
    object.set("data", kept);
    return mapper.writeValueAsString(object);
  }
}
