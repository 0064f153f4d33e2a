package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.web.ProblemType;

/**
 * The problems the webhook endpoint answers with (RFC 9457 problem+json). Types are stable: clients
 * and dashboards may rely on them. Documented in docs/problems.md.
 */
enum WebhookProblem implements ProblemType {
  INVALID_SIGNATURE(
      Definition.of(498, "invalid-webhook-signature", "Webhook signature missing or invalid")),
  TOO_LARGE(Definition.of(413, "webhook-too-large", "Webhook body too large")),
  INCOMPLETE_BODY(
      Definition.of(400, "incomplete-webhook-body", "Webhook body did not arrive in full")),
  UNAVAILABLE(
      Definition.of(503, "storage-unavailable", "Webhook could not be stored; retry later")),
  RELAY_BEHIND(
      Definition.of(
          503, "relay-behind", "Webhook not accepted while events wait for Kafka; retry later")),
  SATURATED(
      Definition.of(
          503,
          "ingest-saturated",
          "Webhook not accepted while the service is at capacity; retry later")),
  INTERNAL(Definition.of(500, "internal-error", "Webhook could not be processed"));

  private final Definition definition;

  WebhookProblem(Definition definition) {
    this.definition = definition;
  }

  @Override
  public Definition definition() {
    return definition;
  }

  /** The {@code outcome} tag of the rejection metric. */
  String outcome() {
    return name().toLowerCase();
  }
}
