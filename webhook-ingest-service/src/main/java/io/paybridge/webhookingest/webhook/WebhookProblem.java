package io.paybridge.webhookingest.webhook;

import java.net.URI;

/**
 * The problems the webhook endpoint answers with (RFC 9457 problem+json). Types are stable: clients
 * and dashboards may rely on them. Documented in docs/problems.md.
 */
enum WebhookProblem {
  INVALID_SIGNATURE(498, "invalid-webhook-signature", "Webhook signature missing or invalid"),
  MALFORMED(400, "malformed-webhook", "Not a GoCardless webhook"),
  TOO_LARGE(413, "webhook-too-large", "Webhook body too large"),
  UNAVAILABLE(503, "storage-unavailable", "Webhook could not be stored; retry later"),
  INTERNAL(500, "internal-error", "Webhook could not be processed");

  private static final String BASE = "https://paybridge.io/problems/";

  final int status;
  final URI type;
  final String title;

  /** The {@code outcome} tag of the rejection metric. */
  final String outcome;

  WebhookProblem(int status, String slug, String title) {
    this.status = status;
    this.type = URI.create(BASE + slug);
    this.title = title;
    this.outcome = name().toLowerCase();
  }
}
