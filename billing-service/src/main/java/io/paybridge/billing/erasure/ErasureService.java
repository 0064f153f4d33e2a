package io.paybridge.billing.erasure;

import io.paybridge.billing.projection.Kind;
import io.paybridge.billing.projection.ProjectionRepository;
import io.paybridge.platform.events.payers.PayerErasureEvent.PayerErasureRequested;
import io.paybridge.platform.outbox.OutboxWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Operators' erasure and access requests about a payer (a GoCardless customer). A request is stored
 * (by the customer's pseudonym only) and published on {@code payers.erasure} in one transaction;
 * every service that holds personal data applies it from there, billing-service included, and
 * acknowledges it on the same topic.
 */
@Service
public class ErasureService {

  private static final Pattern CUSTOMER_ID = Pattern.compile("CU[0-9A-Za-z]{1,62}");

  private final ErasureRepository requests;
  private final ProjectionRepository projections;
  private final Pseudonyms pseudonyms;
  private final OutboxWriter outbox;
  private final ObjectMapper mapper;
  private final ErasureProperties properties;
  private final Clock clock;

  ErasureService(
      ErasureRepository requests,
      ProjectionRepository projections,
      Pseudonyms pseudonyms,
      OutboxWriter outbox,
      ObjectMapper mapper,
      ErasureProperties properties,
      Clock clock) {
    this.requests = requests;
    this.projections = projections;
    this.pseudonyms = pseudonyms;
    this.outbox = outbox;
    this.mapper = mapper;
    this.properties = properties;
    this.clock = clock;
  }

  /** What the operator is told: the request and, per service, whether it has applied it. */
  public record Status(
      UUID requestId,
      Instant requestedAt,
      int resourceCount,
      boolean complete,
      List<Step> services) {}

  /**
   * One service's part of a request: {@code applied} (with when and how many rows) or {@code
   * pending}.
   */
  public record Step(String service, String status, Integer rowsChanged, Instant appliedAt) {}

  /**
   * Stores and publishes an erasure request for the customer.
   *
   * @throws InvalidCustomerIdException when {@code customerId} is not a customer id
   * @throws ErasureUnavailableException when no pseudonym key is configured
   */
  @Transactional
  public Status request(String customerId, String operator) {
    requireCustomerId(customerId);
    String pseudonym = pseudonyms.of(customerId);
    var resources = requests.resourcesOf(customerId, pseudonym);
    List<String> ids = new ArrayList<>();
    resources.values().forEach(ids::addAll);
    var request =
        new ErasureRepository.Request(
            UUID.randomUUID(), pseudonym, operator, clock.instant(), ids.size());
    requests.insert(request);
    var event =
        new PayerErasureRequested(
            request.id().toString(), customerId, pseudonym, ids, operator, request.requestedAt());
    outbox.append(event.toOutboxEvent(mapper.writeValueAsString(event)));
    return status(request);
  }

  /**
   * @throws ErasureRequestNotFoundException when there is no such request
   */
  public Status status(String requestId) {
    UUID id;
    try {
      id = UUID.fromString(requestId);
    } catch (IllegalArgumentException e) {
      throw new ErasureRequestNotFoundException(requestId);
    }
    return status(
        requests.find(id).orElseThrow(() -> new ErasureRequestNotFoundException(requestId)));
  }

  private Status status(ErasureRepository.Request request) {
    Map<String, ErasureRepository.Acknowledgement> acknowledged = new LinkedHashMap<>();
    requests.acknowledgements(request.id()).forEach(a -> acknowledged.put(a.service(), a));
    List<Step> steps = new ArrayList<>();
    for (String service : properties.services()) {
      var a = acknowledged.remove(service);
      steps.add(
          a == null
              ? new Step(service, "pending", null, null)
              : new Step(service, "applied", a.rowsChanged(), a.appliedAt()));
    }
    // A service not (or no longer) configured that acknowledged anyway is shown too.
    acknowledged
        .values()
        .forEach(a -> steps.add(new Step(a.service(), "applied", a.rowsChanged(), a.appliedAt())));
    boolean complete = steps.stream().allMatch(s -> s.status().equals("applied"));
    return new Status(
        request.id(), request.requestedAt(), request.resourceCount(), complete, steps);
  }

  /**
   * Everything billing-service holds about the customer (an access request): the API views of its
   * resources, by kind, and the erasure requests made about it.
   */
  public ObjectNode export(String customerId) {
    requireCustomerId(customerId);
    String pseudonym = pseudonyms.of(customerId);
    ObjectNode export = mapper.createObjectNode();
    export.put("service", "billing-service");
    export.put("customerId", customerId);
    export.put("generatedAt", clock.instant().toString());
    ObjectNode records = export.putObject("records");
    requests
        .resourcesOf(customerId, pseudonym)
        .forEach(
            (kind, ids) -> {
              var list = records.putArray(field(kind));
              for (String id : ids) {
                projections.find(kind, id).ifPresent(p -> list.add(p.view()));
              }
            });
    var erasures = export.putArray("erasureRequests");
    for (var request : requests.requestsFor(pseudonym)) {
      erasures.add(mapper.valueToTree(status(request)));
    }
    return export;
  }

  private static String field(Kind kind) {
    return switch (kind) {
      case BILLING_REQUEST -> "billingRequests";
      case MANDATE -> "mandates";
      case PAYMENT -> "payments";
      case REFUND -> "refunds";
      case SUBSCRIPTION -> "subscriptions";
      case INSTALMENT_SCHEDULE -> "instalmentSchedules";
    };
  }

  private static void requireCustomerId(String customerId) {
    if (customerId == null || !CUSTOMER_ID.matcher(customerId).matches()) {
      throw new InvalidCustomerIdException(customerId == null ? "" : customerId);
    }
  }
}
