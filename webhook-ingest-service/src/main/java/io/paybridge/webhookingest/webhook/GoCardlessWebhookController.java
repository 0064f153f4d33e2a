package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.outbox.RecordTracing;
import io.paybridge.platform.outbox.RelayBacklog;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhooks/gocardless}: GoCardless's signed webhook deliveries.
 *
 * <p>Order matters: the admission limit ({@link WebhookAdmission}, before this controller) and the
 * size are checked before the body is read, the signature before it is parsed, and 204 is answered
 * only after the transaction that holds the delivery (with others that arrived at the same time:
 * {@link GroupCommitter}) has committed. A correctly signed delivery is always stored: what of it
 * cannot be routed goes to quarantine, not back to GoCardless.
 */
@RestController
public class GoCardlessWebhookController {

  /** Where GoCardless delivers webhooks. */
  public static final String PATH = "/webhooks/gocardless";

  static final String SIGNATURE_HEADER = "Webhook-Signature";
  private static final Logger log = LoggerFactory.getLogger(GoCardlessWebhookController.class);

  private final WebhookSignature signature;
  private final WebhookBatchParser parser;
  private final GroupCommitter ingestion;
  private final WebhookMetrics metrics;
  private final Clock clock;
  private final long maxBodySize;
  private final RelayBacklog relayBacklog;
  private final Duration maxRelayLag;

  private final RecordTracing tracing;
  private final StorageOutageLog outageLog;

  GoCardlessWebhookController(
      WebhookProperties properties,
      WebhookBatchParser parser,
      GroupCommitter ingestion,
      WebhookMetrics metrics,
      RelayBacklog relayBacklog,
      Clock clock,
      RecordTracing tracing,
      StorageOutageLog outageLog) {
    if (properties.secrets().isEmpty()) {
      throw new IllegalStateException(
          "No GoCardless webhook secret configured: set paybridge.webhooks.gocardless.secrets");
    }
    this.signature = new WebhookSignature(properties.secrets());
    this.parser = parser;
    this.ingestion = ingestion;
    this.metrics = metrics;
    this.clock = clock;
    this.tracing = tracing;
    this.outageLog = outageLog;
    this.maxBodySize = properties.maxBodySize().toBytes();
    this.relayBacklog = relayBacklog;
    this.maxRelayLag = properties.maxRelayLag();
  }

  // 204 by annotation and no return value: Spring MVC then writes no body without choosing a
  // return value handler and negotiating a media type for an empty answer, as it does for a
  // ResponseEntity on every delivery.
  @PostMapping(PATH)
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void receive(HttpServletRequest request) throws IOException {
    Instant receivedAt = clock.instant();
    // Admitted already (WebhookAdmission, before the servlet container): past capacity a refusal
    // must cost next to nothing, or refusing takes the cores the writers need and fewer deliveries
    // are stored, not more. The ticket is closed by WebhookAdmission once this delivery is
    // answered.
    var ticket = WebhookAdmission.ticketOf(request);
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
    // Genuine, but the relay is behind: storing more would only lengthen the wait for Kafka.
    // Nothing is stored, and GoCardless delivers again.
    if (!maxRelayLag.isZero()) {
      relayBacklog
          .lag()
          .filter(lag -> lag.compareTo(maxRelayLag) > 0)
          .ifPresent(
              lag -> {
                throw new WebhookRejectedException(
                    WebhookProblem.RELAY_BEHIND,
                    "Events wait "
                        + lag.toMillis()
                        + " ms for Kafka (limit "
                        + maxRelayLag.toMillis()
                        + " ms)");
              });
    }
    // Signed, so GoCardless's: stored whatever it holds. A body that is not a webhook, or an event
    // that cannot be routed, is quarantined rather than refused, since GoCardless would only send
    // the same bytes again, and a refusal would take the good events of the batch down with it.
    ParsedBody parsed = parser.parse(body);
    // The request's span (a child of the caller's traceparent) when tracing is on: the events'
    // outbox rows, written on the group committer's thread, carry it explicitly.
    String current = tracing.currentTraceparent();
    String traceparent =
        current != null ? current : Traceparent.fromOrNew(request.getHeader("traceparent"));
    var result =
        ingestion.submit(
            ticket,
            new WebhookIngestion.WebhookDelivery(
                parsed instanceof ParsedBody.Batch batch ? batch.webhookId() : null,
                receivedAt,
                presented,
                request.getHeader("User-Agent"),
                request.getHeader("Origin"),
                traceparent,
                body),
            parsed);
    metrics.accepted(result);
    outageLog.stored();
    // Reasons only: a parser's detail may quote the body, and bodies are never logged (the detail
    // is in quarantined_event).
    switch (parsed) {
      case ParsedBody.Batch batch ->
          log.info(
              "Accepted webhook {} ({} events: {} new, {} duplicate, {} quarantined), delivery {}",
              batch.webhookId(),
              batch.events().size(),
              result.fresh().size(),
              result.duplicates().size(),
              batch.rejected().size(),
              result.deliveryId());
      case ParsedBody.Malformed ignored ->
          log.warn(
              "Accepted and quarantined a signed body that is not a webhook, delivery {}",
              result.deliveryId());
    }
    if (!result.quarantined().isEmpty()) {
      log.warn(
          "Quarantined from delivery {}: {}",
          result.deliveryId(),
          result.quarantined().stream().map(QuarantineReason::tag).toList());
    }
  }

  private static byte[] readAtMost(InputStream in, long limit) {
    byte[] body;
    try {
      body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    } catch (IOException stopped) {
      // The sender's side: it closed the connection, or sent nothing more for the idle timeout
      // (1 s once the service is stopping). Not the service's failure: no 500, no stack trace.
      throw new WebhookRejectedException(
          WebhookProblem.INCOMPLETE_BODY,
          "The body stopped arriving before its end: " + stopped.getMessage());
    }
    if (body.length > limit) {
      throw new WebhookRejectedException(
          WebhookProblem.TOO_LARGE, "The body exceeds " + limit + " bytes");
    }
    return body;
  }
}
