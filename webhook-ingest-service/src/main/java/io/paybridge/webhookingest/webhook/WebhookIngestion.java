package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.outbox.OutboxWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores a correctly signed delivery, its events and the outbox records of the events never seen
 * before, in one transaction: once it commits, every new event will reach Kafka, and no event
 * reaches it twice from two deliveries. What cannot be routed (a body that is not a webhook, an
 * event without a resource type or action, an unusable id) is quarantined in the same transaction
 * instead of failing the delivery, so one bad event never costs the good ones.
 *
 * <p>A delivery's transaction ends by its storage deadline ({@code
 * paybridge.webhooks.gocardless.storage-deadline} after it was received), committed or not, so that
 * a database that hangs mid-transaction costs a 503 within the deadline, not the caller's timeout.
 */
@Service
class WebhookIngestion {

  private final WebhookRepository deliveries;
  private final QuarantineRepository quarantine;
  private final OutboxWriter outbox;
  private final Duration storageDeadline;
  private final Clock clock;

  WebhookIngestion(
      WebhookRepository deliveries,
      QuarantineRepository quarantine,
      OutboxWriter outbox,
      WebhookProperties properties,
      Clock clock) {
    this.deliveries = deliveries;
    this.quarantine = quarantine;
    this.outbox = outbox;
    this.storageDeadline = properties.storageDeadline();
    this.clock = clock;
  }

  @Transactional
  IngestResult ingest(WebhookDelivery delivery, ParsedBody body) {
    // From the delivery's arrival, not from here: the wait for a pool connection counts too.
    deliveries.limitTransaction(
        Duration.between(clock.instant(), delivery.receivedAt().plus(storageDeadline)));
    UUID deliveryId = UUID.randomUUID();
    return switch (body) {
      case ParsedBody.Malformed malformed -> {
        deliveries.insertDelivery(deliveryId, delivery, 0);
        boolean added =
            quarantine
                .insertBody(deliveryId, delivery.body(), malformed.detail(), delivery.receivedAt())
                .isPresent();
        yield new IngestResult(
            deliveryId,
            List.of(),
            List.of(),
            added ? List.of(QuarantineReason.MALFORMED_BODY) : List.of(),
            added ? 0 : 1);
      }
      case ParsedBody.Batch batch -> {
        deliveries.insertDelivery(deliveryId, delivery, batch.events().size());
        yield store(deliveryId, delivery.receivedAt(), delivery.traceparent(), batch, null);
      }
    };
  }

  /**
   * Puts a batch's routable events into the inbox and the outbox (the new ones only) and its other
   * events into quarantine; the caller's transaction makes it all or nothing. Also the path of an
   * event released from quarantine, so that it is deduplicated and published like any other.
   *
   * @param receivedAt when the events entered the inbox
   * @param releasedFrom the quarantined event being released, or {@code null}
   */
  @Transactional(propagation = Propagation.MANDATORY)
  IngestResult store(
      UUID deliveryId,
      Instant receivedAt,
      String traceparent,
      ParsedBody.Batch batch,
      Long releasedFrom) {
    List<GoCardlessEvent> routable = batch.routable();
    var fresh = new ArrayList<GoCardlessEvent>();
    var duplicates = new ArrayList<GoCardlessEvent>();
    if (!routable.isEmpty()) {
      var newIds =
          new HashSet<>(deliveries.insertNewEvents(deliveryId, receivedAt, routable, releasedFrom));
      for (GoCardlessEvent event : routable) {
        // remove(): an id repeated inside one batch is new at most once
        (newIds.remove(event.id()) ? fresh : duplicates).add(event);
      }
      outbox.appendAll(fresh.stream().map(event -> event.toOutboxEvent(traceparent)).toList());
    }
    var quarantined = new ArrayList<QuarantineReason>();
    int alreadyQuarantined = 0;
    for (ParsedEvent.Rejected rejected : batch.rejected()) {
      if (quarantine.insertEvent(deliveryId, rejected, receivedAt).isPresent()) {
        quarantined.add(rejected.reason());
      } else {
        alreadyQuarantined++;
      }
    }
    return new IngestResult(deliveryId, fresh, duplicates, quarantined, alreadyQuarantined);
  }

  /** What a delivery was made of. */
  record WebhookDelivery(
      String webhookId,
      Instant receivedAt,
      String signature,
      String userAgent,
      String origin,
      String traceparent,
      byte[] body) {}

  /**
   * What became of a delivery's events.
   *
   * @param fresh events seen for the first time: published
   * @param duplicates events the inbox already held: not published again
   * @param quarantined the reasons of the events (or the body) quarantined now
   * @param alreadyQuarantined events (or the body) quarantined by an earlier delivery already
   */
  record IngestResult(
      UUID deliveryId,
      List<GoCardlessEvent> fresh,
      List<GoCardlessEvent> duplicates,
      List<QuarantineReason> quarantined,
      int alreadyQuarantined) {}
}
