package io.paybridge.notification.delivery;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * notification-service's part of an access request about a payer: the deliveries whose fact names
 * the customer or one of the payer's resources, with their bodies.
 */
@Service
class PayerDeliveries {

  private final ErasureRepository deliveries;
  private final ObjectMapper mapper;

  PayerDeliveries(ErasureRepository deliveries, ObjectMapper mapper) {
    this.deliveries = deliveries;
    this.mapper = mapper;
  }

  ObjectNode export(String customerId, Collection<String> resourceIds) {
    Set<String> names = new LinkedHashSet<>();
    names.add(customerId);
    names.addAll(resourceIds);
    ObjectNode export = mapper.createObjectNode();
    export.put("service", "notification-service");
    export.put("customerId", customerId);
    var list = export.putArray("deliveries");
    for (var held : deliveries.naming(names)) {
      ObjectNode item = list.addObject();
      item.put("id", held.id().toString());
      item.put("team", held.team());
      item.put("endpointId", held.endpointId().toString());
      item.put("factId", held.factId());
      item.put("eventType", held.eventType());
      item.put("status", held.status());
      item.put("createdAt", held.createdAt().toString());
      item.set("body", mapper.readTree(held.body()));
    }
    return export;
  }
}
