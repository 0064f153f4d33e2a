package io.paybridge.notification.delivery;

import io.paybridge.notification.email.EmailTemplates;
import io.paybridge.notification.endpoint.EndpointDirectory;
import io.paybridge.notification.endpoint.EndpointKind;
import io.paybridge.notification.endpoint.Subscriber;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns a fact into deliveries, in the caller's transaction: one per enabled endpoint of the fact's
 * team whose filter matches (an email endpoint only for the facts a person must act on). The unique
 * (fact, endpoint) constraint makes a fact handled twice create nothing the second time.
 */
@Component
class DeliveryPlanner {

  private final EndpointDirectory endpoints;
  private final DeliveryRepository deliveries;
  private final DeliveryWakeUp wakeUp;
  private final ObjectMapper mapper;
  private final Clock clock;

  DeliveryPlanner(
      EndpointDirectory endpoints,
      DeliveryRepository deliveries,
      DeliveryWakeUp wakeUp,
      ObjectMapper mapper,
      Clock clock) {
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.wakeUp = wakeUp;
    this.mapper = mapper;
    this.clock = clock;
  }

  /** The deliveries of a fact from Kafka; returns how many were new. */
  int plan(Fact fact) {
    return insert(prepare(fact, new HashMap<>()));
  }

  /**
   * The deliveries a fact from Kafka calls for, not inserted yet; the teams' endpoints are read
   * once per {@code subscribers} map (one poll of facts, one transaction).
   */
  List<DeliveryRepository.NewDelivery> prepare(
      Fact fact, Map<String, List<Subscriber>> subscribers) {
    var targets = new ArrayList<String>();
    for (Subscriber subscriber :
        subscribers.computeIfAbsent(fact.team(), endpoints::subscribersOf)) {
      if (!subscriber.filter().matches(fact.topic(), fact.type())) {
        continue;
      }
      if (subscriber.kind() == EndpointKind.EMAIL
          && !EmailTemplates.applies(fact.type(), fact.data())) {
        continue;
      }
      targets.add(subscriber.endpointId());
    }
    return rows(fact, targets);
  }

  /** Deliveries of {@code fact} to the given endpoints (a test ping, the team's emails). */
  int create(Fact fact, List<String> endpointIds) {
    return insert(rows(fact, endpointIds));
  }

  /**
   * Inserts deliveries in the caller's transaction (one statement for a poll's worth), and wakes
   * the worker once it commits; returns how many were new.
   */
  int insert(List<DeliveryRepository.NewDelivery> rows) {
    int created = deliveries.insert(rows, clock.instant());
    if (created > 0) {
      wakeUp.wake();
    }
    return created;
  }

  private List<DeliveryRepository.NewDelivery> rows(Fact fact, List<String> endpointIds) {
    if (endpointIds.isEmpty()) {
      return List.of();
    }
    String body = body(fact);
    return endpointIds.stream()
        .map(
            endpoint ->
                new DeliveryRepository.NewDelivery(
                    UUID.randomUUID(), endpoint, fact.team(), fact.id(), fact.type(), body))
        .toList();
  }

  /**
   * Standard Webhooks' payload: {@code {"type", "timestamp", "data"}}, the data being the fact's
   * JSON byte for byte.
   */
  private String body(Fact fact) {
    Instant time = fact.time() != null ? fact.time() : clock.instant();
    return "{\"type\":"
        + mapper.writeValueAsString(fact.type())
        + ",\"timestamp\":"
        + mapper.writeValueAsString(time.toString())
        + ",\"data\":"
        + fact.rawData()
        + "}";
  }
}
