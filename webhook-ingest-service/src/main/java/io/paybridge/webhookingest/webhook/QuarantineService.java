package io.paybridge.webhookingest.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Operators' view of the quarantine, and its release: the stored event (or an operator's correction
 * of it) is validated again and, when it can now be routed, goes through the same path as a
 * delivered event, so it is published once at most: the inbox's unique event id makes the release
 * of an event GoCardless has since delivered correctly publish nothing.
 */
@Service
class QuarantineService {

  private final QuarantineRepository quarantine;
  private final WebhookRepository deliveries;
  private final WebhookIngestion ingestion;
  private final WebhookBatchParser parser;
  private final Clock clock;

  QuarantineService(
      QuarantineRepository quarantine,
      WebhookRepository deliveries,
      WebhookIngestion ingestion,
      WebhookBatchParser parser,
      Clock clock) {
    this.quarantine = quarantine;
    this.deliveries = deliveries;
    this.ingestion = ingestion;
    this.parser = parser;
    this.clock = clock;
  }

  @Transactional(readOnly = true)
  List<QuarantinedEvent> list(boolean includeReleased, int limit) {
    return quarantine.list(includeReleased, limit);
  }

  @Transactional(readOnly = true)
  Optional<QuarantinedEvent> find(long id) {
    return quarantine.find(id);
  }

  /**
   * Releases quarantined event {@code id}.
   *
   * @param corrected JSON to release instead of what was stored (an event for an event, a webhook
   *     body for a whole body), or {@code null} to validate the stored content again, e.g. after a
   *     fix of the service
   * @param operator who releases it (audited)
   * @param reason why (audited)
   */
  @Transactional
  Release release(long id, String corrected, String operator, String reason) {
    var found = quarantine.findForRelease(id);
    if (found.isEmpty()) {
      return new Release.NotFound();
    }
    QuarantinedEvent event = found.get();
    if (event.released()) {
      return new Release.AlreadyReleased(event);
    }
    var delivery =
        deliveries
            .findDelivery(event.deliveryId())
            .orElseThrow(() -> new IllegalStateException("Delivery of a quarantined event gone"));
    ParsedBody.Batch batch;
    if (event.wholeBody()) {
      byte[] body =
          corrected != null ? corrected.getBytes(StandardCharsets.UTF_8) : delivery.body();
      switch (parser.parse(body)) {
        case ParsedBody.Malformed malformed -> {
          return new Release.StillInvalid(QuarantineReason.MALFORMED_BODY, malformed.detail());
        }
        case ParsedBody.Batch parsed -> batch = parsed;
      }
    } else {
      String json = corrected != null ? corrected : event.rawEvent();
      switch (parser.parseEvent(json, event.eventIndex())) {
        case ParsedEvent.Rejected rejected -> {
          return new Release.StillInvalid(rejected.reason(), rejected.detail());
        }
        case GoCardlessEvent routable -> batch = new ParsedBody.Batch(null, List.of(routable));
      }
    }
    Instant now = clock.instant();
    var stored = ingestion.store(delivery.id(), now, delivery.traceparent(), batch, id);
    quarantine.markReleased(id, now, operator, reason, corrected);
    return new Release.Released(quarantine.find(id).orElseThrow(), stored);
  }

  /** What a release came to. */
  sealed interface Release {

    /**
     * Released: {@code result} says which events were published, which the inbox already held
     * (published before: nothing new), and, for a whole body, which of its events are quarantined
     * in turn.
     */
    record Released(QuarantinedEvent event, WebhookIngestion.IngestResult result)
        implements Release {}

    /** Released before: nothing done. */
    record AlreadyReleased(QuarantinedEvent event) implements Release {}

    /** Still cannot be routed: nothing done, the event stays quarantined. */
    record StillInvalid(QuarantineReason reason, String detail) implements Release {}

    record NotFound() implements Release {}
  }
}
