package io.paybridge.notification.delivery;

import io.paybridge.platform.events.payers.PayerErasureEvent.PayerErasureRequested;
import io.paybridge.platform.outbox.erasure.PayerErasureApplier;
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
 * receivers answered to them is forgotten. The platform's {@code PayerErasureListener} publishes
 * the acknowledgement.
 */
@Component
class PayerErasure implements PayerErasureApplier {

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
  private final ObjectMapper mapper;

  PayerErasure(ErasureRepository deliveries, ObjectMapper mapper) {
    this.deliveries = deliveries;
    this.mapper = mapper;
  }

  @Override
  public String service() {
    return SERVICE;
  }

  @Override
  public int erase(PayerErasureRequested request, String eventId) {
    Set<String> names = new HashSet<>(request.resourceIds());
    names.add(request.customerId());
    List<UUID> changed = new ArrayList<>();
    for (var found : deliveries.lockNaming(names)) {
      deliveries.replaceBody(found.id(), erased(found.body(), request));
      changed.add(found.id());
    }
    int attempts = deliveries.forgetResponses(changed);
    return changed.size() + attempts;
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
