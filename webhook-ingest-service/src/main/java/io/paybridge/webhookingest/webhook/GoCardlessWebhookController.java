package io.paybridge.webhookingest.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code POST /webhooks/gocardless}: GoCardless's signed webhook deliveries.
 *
 * <p>Order matters: the size is checked before the body is read, the signature before it is parsed,
 * and 204 is answered only after the delivery's transaction has committed.
 */
@RestController
class GoCardlessWebhookController {

  static final String SIGNATURE_HEADER = "Webhook-Signature";
  private static final Logger log = LoggerFactory.getLogger(GoCardlessWebhookController.class);

  private final WebhookSignature signature;
  private final WebhookBatchParser parser;
  private final WebhookIngestion ingestion;
  private final WebhookMetrics metrics;
  private final long maxBodySize;

  GoCardlessWebhookController(
      WebhookProperties properties,
      ObjectMapper mapper,
      WebhookIngestion ingestion,
      MeterRegistry meters) {
    if (properties.secrets().isEmpty()) {
      throw new IllegalStateException(
          "No GoCardless webhook secret configured: set paybridge.webhooks.gocardless.secrets");
    }
    this.signature = new WebhookSignature(properties.secrets());
    this.parser = new WebhookBatchParser(mapper);
    this.ingestion = ingestion;
    this.metrics = new WebhookMetrics(meters);
    this.maxBodySize = properties.maxBodySize().toBytes();
  }

  @PostMapping("/webhooks/gocardless")
  ResponseEntity<Void> receive(HttpServletRequest request) throws IOException {
    Instant receivedAt = Instant.now();
    if (request.getContentLengthLong() > maxBodySize) {
      throw new WebhookRejectedException(
          WebhookProblem.TOO_LARGE, "The body exceeds " + maxBodySize + " bytes");
    }
    byte[] body = readAtMost(request.getInputStream(), maxBodySize);
    String presented = request.getHeader(SIGNATURE_HEADER);
    if (!signature.isValid(body, presented)) {
      throw new WebhookRejectedException(
          WebhookProblem.INVALID_SIGNATURE,
          presented == null
              ? "The " + SIGNATURE_HEADER + " header is missing"
              : "The " + SIGNATURE_HEADER + " header does not match the body");
    }
    var batch = parser.parse(body);
    String traceparent = Traceparent.fromOrNew(request.getHeader("traceparent"));
    var result =
        ingestion.ingest(
            new WebhookIngestion.WebhookDelivery(
                batch.webhookId(),
                receivedAt,
                presented,
                request.getHeader("User-Agent"),
                request.getHeader("Origin"),
                traceparent,
                body),
            batch.events());
    metrics.accepted(result);
    log.info(
        "Accepted webhook {} ({} events: {} new, {} duplicate), delivery {}",
        batch.webhookId(),
        batch.events().size(),
        result.fresh().size(),
        result.duplicates().size(),
        result.deliveryId());
    return ResponseEntity.noContent().build();
  }

  private static byte[] readAtMost(InputStream in, long limit) throws IOException {
    byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    if (body.length > limit) {
      throw new WebhookRejectedException(
          WebhookProblem.TOO_LARGE, "The body exceeds " + limit + " bytes");
    }
    return body;
  }
}
