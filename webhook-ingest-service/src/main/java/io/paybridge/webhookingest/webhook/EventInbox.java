package io.paybridge.webhookingest.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The inbox → outbox path for events that did not come by webhook: pages read back from
 * GoCardless's events API by recovery. They are parsed by the webhook's parser and stored by the
 * webhook's code ({@link WebhookIngestion#store}), so routing, quarantine and the deduplication on
 * the inbox's unique event id are the same: an event that arrives both ways is published once,
 * whichever comes first.
 */
@Service
public class EventInbox {

  private final WebhookRepository deliveries;
  private final WebhookIngestion ingestion;
  private final WebhookBatchParser parser;
  private final Clock clock;

  EventInbox(
      WebhookRepository deliveries,
      WebhookIngestion ingestion,
      WebhookBatchParser parser,
      Clock clock) {
    this.deliveries = deliveries;
    this.ingestion = ingestion;
    this.parser = parser;
    this.clock = clock;
  }

  /**
   * Stores one page of events, in the caller's transaction: the page as a delivery of run {@code
   * runId}, its routable events in the inbox and, those new to it, in the outbox; the others in
   * quarantine.
   *
   * @param events the events' JSON objects, in the order they are to be published
   * @param traceparent the run's W3C trace context, put on every record it publishes
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public Stored storeRecovered(long runId, List<String> events, String traceparent) {
    // A body of the webhook's shape, so that the page is kept (and can be read again) like any
    // delivery, and its events are sliced and checked exactly as a webhook's are.
    byte[] body =
        ("{\"events\":[" + String.join(",", events) + "]}").getBytes(StandardCharsets.UTF_8);
    var parsed = parser.parse(body);
    if (!(parsed instanceof ParsedBody.Batch batch)) {
      // The page was built here from JSON objects GoCardless's client read: this is a bug.
      throw new IllegalStateException(
          "A page of recovered events is not a batch: " + ((ParsedBody.Malformed) parsed).detail());
    }
    Instant now = clock.instant();
    UUID deliveryId = DeliveryIds.next(now);
    deliveries.insertRecoveredPage(deliveryId, runId, now, traceparent, body, events.size());
    var result = ingestion.store(deliveryId, now, traceparent, batch, null);
    return new Stored(
        result.fresh().stream().map(GoCardlessEvent::id).toList(),
        result.duplicates().size(),
        result.quarantined().size() + result.alreadyQuarantined());
  }

  /** A new W3C trace context, for the records of one recovery. */
  public static String newTraceparent() {
    return Traceparent.fromOrNew(null);
  }

  /**
   * What became of a page's events.
   *
   * @param published the ids of the events new to the inbox: they will be published, once
   * @param alreadyReceived events the inbox held already (by webhook or an earlier read)
   * @param quarantined events that cannot be routed, quarantined as a webhook's would be
   */
  public record Stored(List<String> published, int alreadyReceived, int quarantined) {}
}
