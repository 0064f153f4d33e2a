package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.web.ProblemType;
import java.net.URI;

/**
 * The problems the webhook endpoint answers with (RFC 9457 problem+json). Types are stable: clients
 * and dashboards may rely on them. Documented in docs/problems.md.
 */
enum WebhookProblem implements ProblemType {
  INVALID_SIGNATURE(498, "invalid-webhook-signature", "Webhook signature missing or invalid"),
  MALFORMED(400, "malformed-webhook", "Not a GoCardless webhook"),
  TOO_LARGE(413, "webhook-too-large", "Webhook body too large"),
  UNAVAILABLE(503, "storage-unavailable", "Webhook could not be stored; retry later"),
  INTERNAL(500, "internal-error", "Webhook could not be processed");

  private final int status;
  private final URI type;
  private final String title;

  WebhookProblem(int status, String slug, String title) {
    this.status = status;
    this.type = ProblemType.typeNamed(slug);
    this.title = title;
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public URI type() {
    return type;
  }

  @Override
  public String title() {
    return title;
  }

  /** The {@code outcome} tag of the rejection metric. */
  String outcome() {
    return name().toLowerCase();
  }
}
