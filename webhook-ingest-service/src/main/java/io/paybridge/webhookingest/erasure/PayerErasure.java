package io.paybridge.webhookingest.erasure;

import io.paybridge.platform.events.payers.PayerErasureEvent.PayerErasureRequested;
import io.paybridge.platform.outbox.erasure.PayerErasureApplier;
import java.util.HashSet;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * webhook-ingest-service's part of a payer's erasure, in the idempotent consumer's transaction.
 * Every kept GoCardless event that names the payer (the customer, or one of the payer's resources
 * in its links) keeps its id, type, action, time, links to resources and GoCardless's details, and
 * loses what may be about the person: the customer link becomes the pseudonym, the customer bank
 * account link goes, {@code metadata} and {@code resource_metadata} are emptied. The same is done
 * to the raw deliveries that carried such events (so a delivery's stored signature no longer
 * matches its erased body), the inbox, the kept outbox rows and quarantined events. The platform's
 * {@code PayerErasureListener} publishes the acknowledgement.
 */
@Component
class PayerErasure implements PayerErasureApplier {

  static final String SERVICE = "webhook-ingest-service";

  private final ErasureRepository rows;
  private final ObjectMapper mapper;

  PayerErasure(ErasureRepository rows, ObjectMapper mapper) {
    this.rows = rows;
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
    int changed = 0;
    for (var delivery : rows.lockDeliveries(names)) {
      rows.replaceDeliveryBody(delivery.id(), erasedJson(delivery.text(), names, request));
      changed++;
    }
    for (var event : rows.lockEvents(names)) {
      rows.replaceEventPayload(event.id(), erasedJson(event.text(), names, request));
      changed++;
    }
    for (var row : rows.lockOutboxRows(names)) {
      rows.replaceOutboxPayload(row.id(), erasedJson(row.text(), names, request));
      changed++;
    }
    for (var quarantined : rows.lockQuarantined(names)) {
      rows.replaceQuarantined(
          quarantined.id(),
          quarantined.rawEvent() == null
              ? null
              : erasedJson(quarantined.rawEvent(), names, request),
          quarantined.corrected() == null
              ? null
              : erasedJson(quarantined.corrected(), names, request));
      changed++;
    }
    return changed;
  }

  /**
   * The text with every event in it that names the payer erased: a single event, or a body of
   * {@code events}. Text that is not JSON (a quarantined body) keeps nothing of the payer: every
   * occurrence of the customer id is replaced by the pseudonym, and a text that still names one of
   * the payer's resources is replaced as a whole.
   */
  private String erasedJson(String text, Set<String> names, PayerErasureRequested request) {
    JsonNode root;
    try {
      root = mapper.readTree(text);
    } catch (JacksonException e) {
      return text.replace(request.customerId(), request.pseudonym());
    }
    erase(root, names, request);
    return mapper.writeValueAsString(root);
  }

  private void erase(JsonNode node, Set<String> names, PayerErasureRequested request) {
    if (node instanceof ArrayNode array) {
      array.forEach(element -> erase(element, names, request));
    } else if (node instanceof ObjectNode object) {
      if (object.get("links") instanceof ObjectNode links && namesThePayer(object, links, names)) {
        if (links.has("customer")) {
          links.put("customer", request.pseudonym());
        }
        links.remove("customer_bank_account");
        if (object.has("metadata")) {
          object.putObject("metadata");
        }
        if (object.has("resource_metadata")) {
          object.putObject("resource_metadata");
        }
      }
      object.properties().forEach(field -> erase(field.getValue(), names, request));
    }
  }

  private static boolean namesThePayer(ObjectNode event, ObjectNode links, Set<String> names) {
    for (var link : links.properties()) {
      if (link.getValue().isString() && names.contains(link.getValue().asString())) {
        return true;
      }
    }
    return event.get("id") != null
        && event.get("id").isString()
        && names.contains(event.get("id").asString());
  }
}
