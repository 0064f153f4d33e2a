package io.paybridge.webhookingest.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * {@code paybridge.webhooks.received} (deliveries, by outcome), {@code paybridge.webhooks.events}
 * (events, new or duplicate, by resource type), {@code paybridge.webhooks.events.quarantined}
 * (events or bodies quarantined, by reason), {@code paybridge.webhooks.quarantine.released}
 * (releases, by what became of the events) and the gauge {@code
 * paybridge.webhooks.quarantine.unreleased}; for group commit, {@code
 * paybridge.webhooks.group.deliveries} and {@code paybridge.webhooks.group.events} (per group
 * written), {@code paybridge.webhooks.group.wait} (a delivery's wait in the queue before its
 * group's transaction began), {@code paybridge.webhooks.group.transaction} (a committed group's
 * transaction, from taking a connection to the commit), {@code
 * paybridge.webhooks.group.retried.alone} (deliveries written again alone after their group failed)
 * and the gauge {@code paybridge.webhooks.pending} (deliveries admitted and not answered yet).
 * Refusals at the admission limit are {@code paybridge.webhooks.received{outcome=saturated}}, and
 * {@code paybridge.webhooks.refusal} times those of the delivery limit from the server's first read
 * of the request to the answer written.
 */
@Component
class WebhookMetrics {

  private final MeterRegistry meters;
  private final DistributionSummary groupDeliveries;
  private final DistributionSummary groupEvents;
  private final Timer groupWait;
  private final Timer groupTransaction;
  private final Counter retriedAlone;
  private final Timer refusalAnswered;

  WebhookMetrics(MeterRegistry meters, QuarantineRepository quarantine) {
    this.meters = meters;
    // Read at each scrape: a count over the partial index of unreleased rows, cheap however large
    // the table grows. NaN while the database cannot be reached.
    Gauge.builder(
            "paybridge.webhooks.quarantine.unreleased",
            quarantine,
            q -> {
              try {
                return q.countUnreleased();
              } catch (RuntimeException e) {
                return Double.NaN;
              }
            })
        .description("Quarantined GoCardless events (or bodies) no operator has released yet")
        .register(meters);
    groupDeliveries =
        DistributionSummary.builder("paybridge.webhooks.group.deliveries")
            .description("Webhook deliveries written in one transaction (group commit)")
            .publishPercentileHistogram()
            .minimumExpectedValue(1.0)
            .maximumExpectedValue(256.0)
            .register(meters);
    groupEvents =
        DistributionSummary.builder("paybridge.webhooks.group.events")
            .description("Events of the deliveries written in one transaction (group commit)")
            .register(meters);
    groupWait =
        Timer.builder("paybridge.webhooks.group.wait")
            .description("A delivery's wait in the queue before its group's transaction began")
            .publishPercentileHistogram()
            .minimumExpectedValue(java.time.Duration.ofNanos(10_000))
            .maximumExpectedValue(java.time.Duration.ofSeconds(5))
            .register(meters);
    // With the wait above, where a delivery's time in the service goes once it is read and checked:
    // queued for a writer, then its group's transaction (the commit's WAL flush included).
    groupTransaction =
        Timer.builder("paybridge.webhooks.group.transaction")
            .description(
                "A committed group's transaction, from taking a connection to the commit returned")
            .publishPercentileHistogram()
            .minimumExpectedValue(java.time.Duration.ofNanos(100_000))
            .maximumExpectedValue(java.time.Duration.ofSeconds(5))
            .register(meters);
    retriedAlone =
        Counter.builder("paybridge.webhooks.group.retried.alone")
            .description("Deliveries written again alone because their group's transaction failed")
            .register(meters);
    // Fixed buckets rather than a percentile histogram: what an operator (and the benchmark) asks
    // is how many refusals were answered within 50 ms, the promise the admission limit makes.
    refusalAnswered =
        Timer.builder("paybridge.webhooks.refusal")
            .description(
                "From the server's first read of a delivery to its 503 ingest-saturated written,"
                    + " for the deliveries refused at the delivery limit (before their body is read)")
            .serviceLevelObjectives(
                java.util.stream.LongStream.of(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
                    .mapToObj(java.time.Duration::ofMillis)
                    .toArray(java.time.Duration[]::new))
            .register(meters);
  }

  void refusalAnswered(long nanos) {
    refusalAnswered.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  void pending(java.util.function.Supplier<Number> pending) {
    Gauge.builder("paybridge.webhooks.pending", pending)
        .description("Webhook deliveries admitted and not answered yet (queued or being written)")
        .register(meters);
  }

  void group(int deliveries, int events) {
    groupDeliveries.record(deliveries);
    groupEvents.record(events);
  }

  void groupWait(java.time.Duration wait) {
    groupWait.record(wait);
  }

  void groupTransaction(java.time.Duration took) {
    groupTransaction.record(took);
  }

  void retriedAlone(int deliveries) {
    retriedAlone.increment(deliveries);
  }

  void accepted(WebhookIngestion.IngestResult result) {
    delivery("accepted");
    events(result);
  }

  void released(WebhookIngestion.IngestResult result) {
    Counter.builder("paybridge.webhooks.quarantine.released")
        .description("Quarantined events released by an operator")
        .tag("result", result.fresh().isEmpty() ? "duplicate" : "new")
        .register(meters)
        .increment();
    events(result);
  }

  void rejected(WebhookProblem problem) {
    delivery(problem.outcome());
  }

  private void events(WebhookIngestion.IngestResult result) {
    result.fresh().forEach(event -> event("new", event.resourceType()));
    result.duplicates().forEach(event -> event("duplicate", event.resourceType()));
    result.quarantined().forEach(this::quarantined);
  }

  private void delivery(String outcome) {
    Counter.builder("paybridge.webhooks.received")
        .description("GoCardless webhook deliveries, by outcome")
        .tag("outcome", outcome)
        .register(meters)
        .increment();
  }

  private void event(String result, String resourceType) {
    Counter.builder("paybridge.webhooks.events")
        .description("GoCardless events received, new or duplicate")
        .tag("result", result)
        .tag("resource_type", resourceType)
        .register(meters)
        .increment();
  }

  private void quarantined(QuarantineReason reason) {
    Counter.builder("paybridge.webhooks.events.quarantined")
        .description("GoCardless events (or whole bodies) quarantined, by reason")
        .tag("reason", reason.tag())
        .register(meters)
        .increment();
  }
}
