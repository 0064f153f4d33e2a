package io.paybridge.webhookingest.webhook;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The GoCardless webhook endpoint ({@code paybridge.webhooks.gocardless.*}).
 *
 * @param secrets the webhook endpoint secrets that sign deliveries; several at once while a secret
 *     is rotated (a delivery signed with any of them is accepted). From the secret store, never
 *     committed.
 * @param maxBodySize bodies above this size are refused with 413 without being read
 * @param storageDeadline how long after a delivery was received its transaction may still run: at
 *     the deadline its connection is closed and the delivery is answered 503. GoCardless waits 10 s
 *     for an answer and the platform promises one within 5 s; the pool wait ({@code
 *     spring.datasource.hikari.connection-timeout}) must stay below it
 * @param maxRelayLag while the outbox relay publishes but its events wait longer than this for
 *     Kafka (as its leader last reported, {@link io.paybridge.platform.outbox.RelayBacklog}), new
 *     deliveries are answered 503 {@code relay-behind} before anything is stored, and GoCardless
 *     delivers them again later; this keeps acknowledgement → Kafka bounded when webhooks arrive
 *     faster than the relay publishes. Never while Kafka is down (deliveries are then stored and
 *     wait in the outbox). {@code 0} turns it off
 * @param groupCommit how concurrent deliveries are written together ({@code group-commit.*})
 * @param admission how many deliveries may wait for the database at once ({@code admission.*})
 */
@ConfigurationProperties("paybridge.webhooks.gocardless")
public record WebhookProperties(
    @DefaultValue List<String> secrets,
    @DefaultValue("1MB") DataSize maxBodySize,
    @DefaultValue("3500ms") Duration storageDeadline,
    @DefaultValue("500ms") Duration maxRelayLag,
    @DefaultValue GroupCommit groupCommit,
    @DefaultValue Admission admission) {

  public WebhookProperties {
    secrets = secrets.stream().filter(s -> s != null && !s.isBlank()).toList();
    if (storageDeadline.isNegative() || storageDeadline.isZero()) {
      throw new IllegalArgumentException(
          "paybridge.webhooks.gocardless.storage-deadline must be positive: " + storageDeadline);
    }
    if (maxRelayLag.isNegative()) {
      throw new IllegalArgumentException(
          "paybridge.webhooks.gocardless.max-relay-lag must not be negative: " + maxRelayLag);
    }
  }

  /**
   * Group commit ({@code paybridge.webhooks.gocardless.group-commit.*}): deliveries that arrive
   * while others are being written are written together, in one transaction, and each is answered
   * after that commit. A durable commit waits for the WAL flush; sharing it is what lets the
   * service accept more deliveries per second than the database commits transactions.
   *
   * @param writers threads that each write one group at a time (each holds one pool connection
   *     while it writes): while one waits for its commit, the next group forms and is written by
   *     another
   * @param maxDeliveries at most this many deliveries in one group
   * @param maxEvents a group takes no further delivery once it holds this many events (a single
   *     delivery with more is written alone). Near capacity groups fill to this size, and every
   *     delivery of a group waits for the whole group's write; 500 instead of 2,500 shortened that
   *     wait but stored fewer events per second at saturation (docs/benchmarks.md)
   * @param maxWait how long a writer that has a delivery waits for more before it writes, counted
   *     from the first delivery's arrival in the queue; {@code 0}: it writes whatever is queued at
   *     once. Under load the queue fills while the writers commit, so groups form without waiting
   */
  public record GroupCommit(
      @DefaultValue("2") int writers,
      @DefaultValue("64") int maxDeliveries,
      @DefaultValue("2500") int maxEvents,
      @DefaultValue("1ms") Duration maxWait) {

    public GroupCommit {
      if (writers < 1 || maxDeliveries < 1 || maxEvents < 1) {
        throw new IllegalArgumentException(
            "paybridge.webhooks.gocardless.group-commit: writers, max-deliveries and max-events"
                + " must be positive");
      }
      if (maxWait.isNegative()) {
        throw new IllegalArgumentException(
            "paybridge.webhooks.gocardless.group-commit.max-wait must not be negative: " + maxWait);
      }
    }
  }

  /**
   * The admission limit in front of the database ({@code
   * paybridge.webhooks.gocardless.admission.*}): past it a genuine delivery is answered 503 {@code
   * ingest-saturated} with {@code Retry-After} at once, before anything is stored, instead of
   * queueing behind the others for seconds.
   *
   * @param maxPendingDeliveries deliveries admitted and not answered yet (queued or being written)
   * @param maxPendingEvents events of those deliveries; a delivery with more events than this is
   *     admitted only when nothing else is pending
   */
  public record Admission(
      @DefaultValue("128") int maxPendingDeliveries, @DefaultValue("5000") int maxPendingEvents) {

    public Admission {
      if (maxPendingDeliveries < 1 || maxPendingEvents < 1) {
        throw new IllegalArgumentException(
            "paybridge.webhooks.gocardless.admission limits must be positive");
      }
    }
  }
}
