package io.paybridge.webhookingest.erasure;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * webhook-ingest-service's part of an access request about a payer: the stored GoCardless events
 * (the inbox) that link the customer or one of the payer's resources, as stored. The raw deliveries
 * that carried them hold the same events.
 */
@Service
public class PayerEvents {

  private final ErasureRepository rows;
  private final ObjectMapper mapper;

  PayerEvents(ErasureRepository rows, ObjectMapper mapper) {
    this.rows = rows;
    this.mapper = mapper;
  }

  public ObjectNode export(String customerId, Collection<String> resourceIds) {
    Set<String> names = new LinkedHashSet<>();
    names.add(customerId);
    names.addAll(resourceIds);
    ObjectNode export = mapper.createObjectNode();
    export.put("service", "webhook-ingest-service");
    export.put("customerId", customerId);
    var list = export.putArray("events");
    for (var held : rows.eventsNaming(names)) {
      ObjectNode item = list.addObject();
      item.put("eventId", held.eventId());
      item.put("resourceType", held.resourceType());
      item.put("action", held.action());
      item.put("resourceId", held.resourceId());
      item.put("occurredAt", held.occurredAt() == null ? null : held.occurredAt().toString());
      item.put("receivedAt", held.receivedAt().toString());
      item.set("event", mapper.readTree(held.payload()));
    }
    return export;
  }
}
