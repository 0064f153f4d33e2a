package io.paybridge.notification.delivery;

import java.time.Instant;
import java.util.List;

/**
 * A delivery as its team or an operator sees it, with its attempt log when read one by one.
 *
 * @param webhookId the {@code webhook-id} header of every attempt (and the {@code
 *     X-PayBridge-Delivery} header of an email)
 */
public record DeliveryView(
    String id,
    String webhookId,
    String endpointId,
    String team,
    String factId,
    String eventType,
    String status,
    int attempts,
    Instant nextAttemptAt,
    Instant createdAt,
    Instant completedAt,
    List<AttemptView> attemptLog) {

  /** One attempt: when, how it ended, the HTTP status, latency, the start of the answer. */
  public record AttemptView(
      int attempt,
      Instant attemptedAt,
      String outcome,
      Integer statusCode,
      int latencyMs,
      String responseExcerpt,
      String error) {}
}
