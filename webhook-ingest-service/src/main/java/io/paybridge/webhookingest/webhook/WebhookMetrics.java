package io.paybridge.webhookingest.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code paybridge.webhooks.received} (deliveries, by outcome) and {@code
 * paybridge.webhooks.events} (events, new or duplicate, by resource type).
 */
final class WebhookMetrics {

  private final MeterRegistry meters;

  WebhookMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  void accepted(WebhookIngestion.IngestResult result) {
    delivery("accepted");
    result.fresh().forEach(event -> event("new", event.resourceType()));
    result.duplicates().forEach(event -> event("duplicate", event.resourceType()));
  }

  void rejected(WebhookProblem problem) {
    delivery(problem.outcome());
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
}
