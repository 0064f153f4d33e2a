package io.paybridge.billing.erasure;

import io.paybridge.billing.projection.Kind;
import io.paybridge.billing.projection.Projected;
import io.paybridge.billing.projection.ProjectionRepository;
import io.paybridge.platform.events.payers.PayerErasureEvent.PayerErasureRequested;
import io.paybridge.platform.outbox.erasure.PayerErasureApplier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * billing-service's part of an erasure, in the idempotent consumer's transaction: the payer's
 * projected resources keep what financial records need (ids, statuses, amounts, currencies, dates,
 * schemes, links between them) and lose the rest; the customer id becomes its pseudonym, free text
 * a team or payer may have written (metadata, descriptions, references, names) is removed. The
 * platform's {@code PayerErasureListener} publishes the acknowledgement.
 */
@Component
class PayerErasure implements PayerErasureApplier {

  static final String SERVICE = "billing-service";

  private final ErasureRepository requests;
  private final ProjectionRepository projections;
  private final ObjectMapper mapper;

  PayerErasure(ErasureRepository requests, ProjectionRepository projections, ObjectMapper mapper) {
    this.requests = requests;
    this.projections = projections;
    this.mapper = mapper;
  }

  @Override
  public String service() {
    return SERVICE;
  }

  /**
   * @param eventId the request's event id (its kept outbox row, if this service still has it)
   */
  @Override
  public int erase(PayerErasureRequested request, String eventId) {
    var found = requests.resourcesOf(request.customerId(), request.pseudonym());
    Set<String> named = new HashSet<>(request.resourceIds());
    int changed = 0;
    List<Projected> erased = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      Set<String> ids = new HashSet<>(found.get(kind));
      // Resources the request named that are still of this kind (ids are unique across kinds).
      ids.addAll(named);
      for (Projected p : projections.lockAll(kind, ids).values()) {
        erase(kind, p.view(), request.pseudonym());
        erased.add(p);
      }
    }
    projections.saveAll(erased);
    changed += erased.size();
    var kept =
        new PayerErasureRequested(
            request.requestId(),
            request.pseudonym(),
            request.pseudonym(),
            request.resourceIds(),
            request.requestedBy(),
            request.requestedAt());
    changed += requests.replaceOutboxPayload(eventId, mapper.writeValueAsString(kept));
    return changed;
  }

  private void erase(Kind kind, ObjectNode view, String pseudonym) {
    view.putObject("metadata");
    switch (kind) {
      case BILLING_REQUEST -> {
        view.put("customerId", pseudonym);
        clear(view.get("paymentRequest"), "description", "reference");
        clear(view.get("mandateRequest"), "description");
      }
      case MANDATE -> {
        view.put("customerId", pseudonym);
        clear(view, "reference");
      }
      case PAYMENT -> clear(view, "description", "reference");
      case REFUND -> clear(view, "reference");
      case SUBSCRIPTION -> clear(view, "name", "paymentReference");
      case INSTALMENT_SCHEDULE -> clear(view, "name");
    }
    view.put("personalDataErased", true);
  }

  private static void clear(Object node, String... fields) {
    if (node instanceof ObjectNode object) {
      for (String field : fields) {
        if (object.has(field)) {
          object.putNull(field);
        }
      }
    }
  }
}
