package io.paybridge.webhookingest.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code paybridge.webhooks.received} (deliveries, by outcome), {@code paybridge.webhooks.events}
 * (events, new or duplicate, by resource type), {@code paybridge.webhooks.events.quarantined}
 * (events or bodies quarantined, by reason), {@code paybridge.webhooks.quarantine.released}
 * (releases, by what became of the events) and the gauge {@code
 * paybridge.webhooks.quarantine.unreleased}.
 */
@Component
class WebhookMetrics {

  private final MeterRegistry meters;

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
