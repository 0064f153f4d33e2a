package io.paybridge.notification.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.paybridge.notification.endpoint.EndpointDirectory;
import io.paybridge.notification.endpoint.EndpointKind;
import io.paybridge.notification.endpoint.EndpointTarget;
import io.paybridge.platform.events.notifications.DeliveryEvent;
import io.paybridge.platform.events.notifications.DeliveryEvent.DeliveryFailed;
import io.paybridge.platform.events.notifications.DeliveryEvent.DeliverySucceeded;
import io.paybridge.platform.events.notifications.DeliveryEvent.EndpointDisabled;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * Records what an attempt came to, in one transaction: the attempt log row, the delivery's new
 * state (succeeded, due again later, or dead), the endpoint's health, and the facts on {@code
 * notifications.delivery}. An endpoint that answered 410, or has failed for {@code disable-after},
 * is disabled and its team told: an {@code EndpointDisabled} fact and an email to each of the
 * team's email endpoints.
 */
@Component
class DeliveryOutcomes {

  private static final Logger log = LoggerFactory.getLogger(DeliveryOutcomes.class);

  private final DeliveryRepository deliveries;
  private final EndpointDirectory endpoints;
  private final DeliveryEvents events;
  private final DeliveryPlanner planner;
  private final RetrySchedule schedule;
  private final DeliveryProperties properties;
  private final ObjectMapper mapper;
  private final MeterRegistry meters;

  DeliveryOutcomes(
      DeliveryRepository deliveries,
      EndpointDirectory endpoints,
      DeliveryEvents events,
      DeliveryPlanner planner,
      DeliveryProperties properties,
      ObjectMapper mapper,
      MeterRegistry meters) {
    this.deliveries = deliveries;
    this.endpoints = endpoints;
    this.events = events;
    this.planner = planner;
    this.schedule = new RetrySchedule(properties);
    this.properties = properties;
    this.mapper = mapper;
    this.meters = meters;
  }

  /** One attempt's outcome, waiting to be recorded. */
  record Recorded(
      DeliveryRepository.Claimed delivery,
      EndpointTarget endpoint,
      AttemptResult result,
      Instant at) {}

  /**
   * Records the outcomes of several attempts in one transaction: at a thousand deliveries a second
   * a commit (a WAL flush) each would cost more than the statements.
   */
  @Transactional
  void recordAll(java.util.List<Recorded> outcomes) {
    // Successes, the bulk, in a few batched statements; failures one by one.
    var succeeded = new java.util.ArrayList<DeliveryRepository.AttemptRow>();
    var facts = new java.util.ArrayList<DeliverySucceeded>();
    var recovered = new java.util.LinkedHashSet<String>();
    for (Recorded outcome : outcomes) {
      if (!outcome.result().succeeded()) {
        record(outcome.delivery(), outcome.endpoint(), outcome.result(), outcome.at());
        continue;
      }
      var delivery = outcome.delivery();
      var endpoint = outcome.endpoint();
      count(endpoint, outcome.result());
      succeeded.add(
          new DeliveryRepository.AttemptRow(
              delivery.id(), delivery.attempt(), outcome.at(), outcome.result()));
      facts.add(
          new DeliverySucceeded(
              delivery.id().toString(),
              endpoint.id(),
              endpoint.team(),
              delivery.factId(),
              delivery.eventType(),
              endpoint.kind().name().toLowerCase(),
              delivery.attempt(),
              outcome.result().statusCode(),
              outcome.at()));
      // As read when the delivery was claimed: an endpoint that was failing then is cleared here;
      // one that started failing since is read afresh by the next claim.
      if (endpoint.failingSince() != null) {
        recovered.add(endpoint.id());
      }
    }
    deliveries.insertAttempts(succeeded);
    deliveries.succeeded(succeeded);
    recovered.forEach(endpoints::markHealthy);
    events.publishAll(facts);
  }

  private void count(EndpointTarget endpoint, AttemptResult result) {
    Timer.builder("paybridge.notification.attempts")
        .description("Delivery attempts by channel and outcome, and how long they took")
        .tag("channel", endpoint.kind().name().toLowerCase())
        .tag("outcome", result.outcome().column())
        .register(meters)
        .record(result.latency());
  }

  private void record(
      DeliveryRepository.Claimed delivery,
      EndpointTarget endpoint,
      AttemptResult result,
      Instant at) {
    deliveries.insertAttempt(delivery.id(), delivery.attempt(), at, result);
    String channel = endpoint.kind().name().toLowerCase();
    count(endpoint, result);
    if (result.succeeded()) {
      deliveries.succeeded(delivery.id(), at);
      endpoints.markHealthy(endpoint.id());
      events.publish(
          new DeliverySucceeded(
              delivery.id().toString(),
              endpoint.id(),
              endpoint.team(),
              delivery.factId(),
              delivery.eventType(),
              channel,
              delivery.attempt(),
              result.statusCode(),
              at));
      return;
    }
    Instant failingSince = endpoints.markFailing(endpoint.id(), at);
    if (result.outcome() == AttemptResult.Outcome.GONE) {
      dead(delivery, endpoint, result, at, channel);
      disable(endpoint, "gone", failingSince, at);
      return;
    }
    if (Duration.between(failingSince, at).compareTo(properties.disableAfter()) >= 0) {
      disable(endpoint, "failing", failingSince, at);
    }
    Optional<Duration> wait = schedule.after(delivery.cycleAttempt());
    if (wait.isPresent()) {
      deliveries.retryAt(delivery.id(), at.plus(wait.get()));
    } else {
      dead(delivery, endpoint, result, at, channel);
    }
  }

  private void dead(
      DeliveryRepository.Claimed delivery,
      EndpointTarget endpoint,
      AttemptResult result,
      Instant at,
      String channel) {
    deliveries.dead(delivery.id(), at);
    events.publish(
        new DeliveryFailed(
            delivery.id().toString(),
            endpoint.id(),
            endpoint.team(),
            delivery.factId(),
            delivery.eventType(),
            channel,
            delivery.attempt(),
            result.outcome().column(),
            result.statusCode(),
            at));
  }

  private void disable(EndpointTarget endpoint, String reason, Instant failingSince, Instant at) {
    if (!endpoints.disable(endpoint.id(), reason, at)) {
      return; // already disabled: the team was told then
    }
    Counter.builder("paybridge.notification.endpoints.disabled")
        .description("Endpoints disabled by the service (410 or failing too long)")
        .tag("reason", reason)
        .register(meters)
        .increment();
    log.warn("Endpoint {} of team {} disabled: {}", endpoint.id(), endpoint.team(), reason);
    DeliveryEvent event =
        new EndpointDisabled(endpoint.id(), endpoint.team(), reason, failingSince, at);
    String eventId = events.publish(event);
    String data = mapper.writeValueAsString(event);
    var emails =
        endpoints.subscribersOf(endpoint.team()).stream()
            .filter(s -> s.kind() == EndpointKind.EMAIL)
            .map(s -> s.endpointId())
            .toList();
    planner.create(
        new Fact(
            eventId,
            DeliveryEvent.TOPIC,
            event.eventType(),
            endpoint.team(),
            at,
            data,
            mapper.readTree(data)),
        emails);
  }
}
