package io.paybridge.webhookingest.webhook;

import io.paybridge.platform.events.OutboxEvent;
import io.paybridge.platform.outbox.OutboxWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores correctly signed deliveries, their events and the outbox records of the events never seen
 * before, several deliveries in one transaction (a group, formed by {@link GroupCommitter}): once
 * it commits, every new event will reach Kafka, and no event reaches it twice, whether it came in
 * two deliveries of one group, of two groups, or at two times. What cannot be routed (a body that
 * is not a webhook, an event without a resource type or action, an unusable id) is quarantined in
 * the same transaction instead of failing the delivery, so one bad event never costs the good ones.
 *
 * <p>A group's transaction ends by the storage deadline of its earliest delivery ({@code
 * paybridge.webhooks.gocardless.storage-deadline} after it was received), committed or not, so that
 * a database that hangs mid-transaction costs a 503 within the deadline, not the caller's timeout.
 */
@Service
class WebhookIngestion {

  private final WebhookRepository deliveries;
  private final QuarantineRepository quarantine;
  private final OutboxWriter outbox;
  private final TransactionTemplate transactions;
  private final Duration storageDeadline;
  private final Clock clock;

  WebhookIngestion(
      WebhookRepository deliveries,
      QuarantineRepository quarantine,
      OutboxWriter outbox,
      TransactionTemplate transactions,
      WebhookProperties properties,
      Clock clock) {
    this.deliveries = deliveries;
    this.quarantine = quarantine;
    this.outbox = outbox;
    this.transactions = transactions;
    this.storageDeadline = properties.storageDeadline();
    this.clock = clock;
  }

  /**
   * Stores the deliveries of {@code group} in one transaction: one statement when nothing of it is
   * quarantined (the common case; {@link WebhookRepository#insertGroup}), else several.
   *
   * @return what became of each delivery, in the order of {@code group}
   */
  List<IngestResult> ingestAll(List<Submission> group) {
    var rows = new GroupRows(group, clock.instant());
    if (!outbox.deletesAfterInsert() && group.stream().noneMatch(WebhookIngestion::quarantines)) {
      // The statement inserts the outbox records of the events its inbox insert returns as new: it
      // is given the records of every event that may be, by the rule that decides the results.
      var mayBeNew = new HashSet<String>();
      rows.inbox.forEach(row -> mayBeNew.add(row.event().id()));
      var candidates = new ArrayList<OutboxEvent>();
      for (Submission submission : group) {
        String traceparent = submission.delivery().traceparent();
        Split.of(((ParsedBody.Batch) submission.body()).routable(), mayBeNew)
            .fresh()
            .forEach(event -> candidates.add(event.toOutboxEvent(traceparent)));
      }
      var newIds =
          deliveries.insertGroup(rows.deliveries, rows.inbox, candidates, remaining(group));
      return results(group, rows, new HashSet<>(newIds), new ArrayList<>());
    }
    return transactions.execute(
        status -> {
          deliveries.limitTransaction(remaining(group));
          var newIds =
              new HashSet<>(deliveries.insertDeliveriesAndNewEvents(rows.deliveries, rows.inbox));
          var published = new ArrayList<OutboxEvent>();
          var results = results(group, rows, newIds, published);
          outbox.appendAll(published);
          return results;
        });
  }

  /** Whether a delivery has anything to quarantine: a body that is not a webhook, or an event. */
  private static boolean quarantines(Submission submission) {
    return !(submission.body() instanceof ParsedBody.Batch batch) || !batch.rejected().isEmpty();
  }

  /**
   * What is left of the group's storage deadline: from its earliest delivery's arrival, not from
   * here, since the wait in the queue and for a pool connection count too.
   */
  private Duration remaining(List<Submission> group) {
    Instant receivedFirst =
        group.stream().map(s -> s.delivery().receivedAt()).min(Instant::compareTo).orElseThrow();
    return Duration.between(clock.instant(), receivedFirst.plus(storageDeadline));
  }

  /** A group's rows for the deliveries and the inbox, each delivery with its new id. */
  private static final class GroupRows {

    final List<UUID> ids;
    final List<WebhookRepository.NewDelivery> deliveries;
    final List<WebhookRepository.InboxRow> inbox = new ArrayList<>();

    GroupRows(List<Submission> group, Instant now) {
      ids = new ArrayList<>(group.size());
      deliveries = new ArrayList<>(group.size());
      for (Submission submission : group) {
        UUID id = DeliveryIds.next(now);
        ids.add(id);
        int eventCount =
            submission.body() instanceof ParsedBody.Batch batch ? batch.events().size() : 0;
        deliveries.add(new WebhookRepository.NewDelivery(id, submission.delivery(), eventCount));
        if (submission.body() instanceof ParsedBody.Batch batch) {
          for (GoCardlessEvent event : batch.routable()) {
            inbox.add(
                new WebhookRepository.InboxRow(id, submission.delivery().receivedAt(), event));
          }
        }
      }
    }
  }

  /**
   * What became of each delivery of the group, given the ids of the events new to the inbox (taken
   * from {@code newIds} as they are given out); quarantines what is to be, and adds the outbox
   * records of the new events to {@code published}.
   */
  private List<IngestResult> results(
      List<Submission> group, GroupRows rows, Set<String> newIds, List<OutboxEvent> published) {
    var results = new ArrayList<IngestResult>(group.size());
    for (int i = 0; i < group.size(); i++) {
      Submission submission = group.get(i);
      UUID deliveryId = rows.ids.get(i);
      switch (submission.body()) {
        case ParsedBody.Malformed malformed -> {
          boolean added =
              quarantine
                  .insertBody(
                      deliveryId,
                      submission.delivery().body(),
                      malformed.detail(),
                      submission.delivery().receivedAt())
                  .isPresent();
          results.add(
              new IngestResult(
                  deliveryId,
                  List.of(),
                  List.of(),
                  added ? List.of(QuarantineReason.MALFORMED_BODY) : List.of(),
                  added ? 0 : 1));
        }
        case ParsedBody.Batch batch -> {
          var split = Split.of(batch.routable(), newIds);
          String traceparent = submission.delivery().traceparent();
          split.fresh().forEach(event -> published.add(event.toOutboxEvent(traceparent)));
          results.add(
              quarantineRejected(deliveryId, submission.delivery().receivedAt(), batch, split));
        }
      }
    }
    return results;
  }

  /**
   * Puts a batch's routable events into the inbox and the outbox (the new ones only) and its other
   * events into quarantine, in the caller's transaction: the path of an event (or a body) released
   * from quarantine, so that it is deduplicated and published like any other.
   *
   * @param receivedAt when the events entered the inbox
   * @param releasedFrom the quarantined event being released
   */
  @Transactional(propagation = Propagation.MANDATORY)
  IngestResult store(
      UUID deliveryId,
      Instant receivedAt,
      String traceparent,
      ParsedBody.Batch batch,
      Long releasedFrom) {
    List<GoCardlessEvent> routable = batch.routable();
    var split = new Split(List.of(), List.of());
    if (!routable.isEmpty()) {
      var newIds =
          new HashSet<>(
              deliveries.insertNewEvents(
                  routable.stream()
                      .map(event -> new WebhookRepository.InboxRow(deliveryId, receivedAt, event))
                      .toList(),
                  releasedFrom));
      split = Split.of(routable, newIds);
      outbox.appendAll(
          split.fresh().stream().map(event -> event.toOutboxEvent(traceparent)).toList());
    }
    return quarantineRejected(deliveryId, receivedAt, batch, split);
  }

  /**
   * A delivery's routable events: those new to the inbox (published) and those it held already.
   *
   * @param fresh in the delivery's order
   * @param duplicates in the delivery's order
   */
  private record Split(List<GoCardlessEvent> fresh, List<GoCardlessEvent> duplicates) {

    /**
     * Splits {@code routable} by the ids the inbox insert returned as new, taking each id out of
     * {@code newIds} as it is given out: an id repeated inside one delivery, or carried by two
     * deliveries of a group (split in the group's order), is new at most once, for the first
     * delivery that carries it, whose id its inbox row has.
     */
    static Split of(List<GoCardlessEvent> routable, Set<String> newIds) {
      var fresh = new ArrayList<GoCardlessEvent>();
      var duplicates = new ArrayList<GoCardlessEvent>();
      for (GoCardlessEvent event : routable) {
        (newIds.remove(event.id()) ? fresh : duplicates).add(event);
      }
      return new Split(fresh, duplicates);
    }
  }

  private IngestResult quarantineRejected(
      UUID deliveryId, Instant receivedAt, ParsedBody.Batch batch, Split split) {
    var quarantined = new ArrayList<QuarantineReason>();
    int alreadyQuarantined = 0;
    for (ParsedEvent.Rejected rejected : batch.rejected()) {
      if (quarantine.insertEvent(deliveryId, rejected, receivedAt).isPresent()) {
        quarantined.add(rejected.reason());
      } else {
        alreadyQuarantined++;
      }
    }
    return new IngestResult(
        deliveryId, split.fresh(), split.duplicates(), quarantined, alreadyQuarantined);
  }

  /** A delivery, read, waiting to be stored. */
  record Submission(WebhookDelivery delivery, ParsedBody body) {}

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
