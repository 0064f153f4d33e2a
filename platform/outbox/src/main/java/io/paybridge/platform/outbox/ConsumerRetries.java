package io.paybridge.platform.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.paybridge.platform.outbox.ConsumerFailures.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * The records this service's consumers are retrying, one per consumer group and partition (a
 * failing record holds its partition back), with the metrics and logs that make a stuck consumer
 * visible:
 *
 * <ul>
 *   <li>{@code paybridge.consumer.transient.failures{consumer, topic}}: failed attempts classified
 *       transient;
 *   <li>{@code paybridge.consumer.stuck.seconds{consumer}}: how long the oldest record still being
 *       retried has been failing (0 when none);
 *   <li>{@code paybridge.consumer.dead.letters{consumer, topic, reason}}: records parked on the
 *       dead-letter topic, {@code reason} = {@code poison} or {@code retries-exhausted};
 *   <li>logs: INFO at a record's first transient failure, WARN (with the stack trace) at its first
 *       other failure, one WARN once it has been failing for {@code stuck-alert-after}, INFO when
 *       it finally passes.
 * </ul>
 */
public class ConsumerRetries {

  private static final Logger log = LoggerFactory.getLogger(ConsumerRetries.class);
  private static final int MAX_ERROR_LENGTH = 500;

  /** A record being retried. */
  public record Retrying(
      String consumer,
      String topic,
      int partition,
      long offset,
      Kind kind,
      Instant failingSince,
      Instant lastFailure,
      int attempts,
      String lastError) {

    /** How long the record has been failing at {@code now}. */
    public Duration stuckFor(Instant now) {
      return Duration.between(failingSince, now);
    }
  }

  private record Key(String consumer, TopicPartition partition) {}

  private record Entry(Retrying retrying, MessageListenerContainer container, boolean warned) {}

  private final Map<Key, Entry> retrying = new ConcurrentHashMap<>();
  private final Set<String> gauged = ConcurrentHashMap.newKeySet();
  private final MeterRegistry meters;
  private final Duration stuckAlertAfter;
  private final Clock clock;

  /**
   * @param meters where the metrics go; {@code null} for none
   */
  public ConsumerRetries(MeterRegistry meters, Duration stuckAlertAfter, Clock clock) {
    this.meters = meters;
    this.stuckAlertAfter = stuckAlertAfter;
    this.clock = clock;
  }

  /** The alert threshold: a record failing longer than this counts as stuck. */
  public Duration stuckAlertAfter() {
    return stuckAlertAfter;
  }

  /**
   * Records a failed attempt of {@code record}; called on the consumer's thread before the record
   * is retried or dead-lettered.
   */
  void failed(
      String consumer,
      ConsumerRecord<?, ?> record,
      Throwable failure,
      Kind kind,
      MessageListenerContainer container) {
    Instant now = clock.instant();
    var key = new Key(consumer, new TopicPartition(record.topic(), record.partition()));
    String error = describe(failure);
    // Only this record's consumer thread writes its partition's entry: reading first is safe.
    Entry before = retrying.get(key);
    boolean newFailure =
        before == null
            || before.retrying().offset() != record.offset()
            || before.retrying().kind() != kind;
    Entry entry =
        retrying.compute(
            key,
            (k, previous) -> {
              if (previous == null || previous.retrying().offset() != record.offset()) {
                return new Entry(
                    new Retrying(
                        consumer,
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        kind,
                        now,
                        now,
                        1,
                        error),
                    container,
                    false);
              }
              Retrying was = previous.retrying();
              return new Entry(
                  new Retrying(
                      consumer,
                      was.topic(),
                      was.partition(),
                      was.offset(),
                      kind,
                      was.failingSince(),
                      now,
                      was.attempts() + 1,
                      error),
                  container,
                  previous.warned());
            });
    gauge(consumer);
    if (kind == Kind.TRANSIENT && meters != null) {
      Counter.builder("paybridge.consumer.transient.failures")
          .description("Attempts of a record that failed because a dependency failed (retried)")
          .tag("consumer", consumer)
          .tag("topic", record.topic())
          .register(meters)
          .increment();
    }
    Retrying current = entry.retrying();
    // Logged once per record and kind (a record may turn from transient to a bug), not per attempt.
    if (newFailure) {
      switch (kind) {
        case TRANSIENT ->
            log.info(
                "{} failed transiently on {}; retrying until it passes: {}",
                consumer,
                position(record),
                error);
        case OTHER ->
            log.warn(
                "{} failed on {}; retrying, then dead-lettering",
                consumer,
                position(record),
                failure);
        case POISON -> {}
      }
    }
    if (!entry.warned() && current.stuckFor(now).compareTo(stuckAlertAfter) >= 0) {
      retrying.computeIfPresent(
          key, (k, e) -> e == entry ? new Entry(e.retrying(), e.container(), true) : e);
      log.warn(
          "{} has been failing on {} for {} ({} attempts), holding back its partition: {}",
          consumer,
          position(record),
          current.stuckFor(now),
          current.attempts(),
          error);
    }
  }

  /** Whether no record is being retried (checked before every applied record: keep it cheap). */
  boolean idle() {
    return retrying.isEmpty();
  }

  /** {@code record} was applied: its partition moves on. Called on the consumer's thread. */
  void succeeded(String consumer, ConsumerRecord<?, ?> record) {
    var key = new Key(consumer, new TopicPartition(record.topic(), record.partition()));
    Entry entry = retrying.get(key);
    if (entry != null
        && entry.retrying().offset() <= record.offset()
        && retrying.remove(key, entry)) {
      Retrying done = entry.retrying();
      if (done.offset() == record.offset()) {
        log.info(
            "{} applied {} after {} failed attempts over {}",
            consumer,
            position(record),
            done.attempts(),
            done.stuckFor(clock.instant()));
      }
    }
  }

  /** {@code record} went to the dead-letter topic. Called on the consumer's thread. */
  void deadLettered(String consumer, ConsumerRecord<?, ?> record, Throwable failure, Kind kind) {
    var key = new Key(consumer, new TopicPartition(record.topic(), record.partition()));
    retrying.computeIfPresent(key, (k, e) -> e.retrying().offset() == record.offset() ? null : e);
    String reason = kind == Kind.POISON ? "poison" : "retries-exhausted";
    if (meters != null) {
      Counter.builder("paybridge.consumer.dead.letters")
          .description("Records parked on the dead-letter topic")
          .tag("consumer", consumer)
          .tag("topic", record.topic())
          .tag("reason", reason)
          .register(meters)
          .increment();
    }
    log.warn("{} dead-lettered {} ({}): {}", consumer, position(record), reason, describe(failure));
  }

  /**
   * The records being retried now, oldest first. A partition no longer assigned to this instance
   * (rebalanced away, container stopped) is forgotten: its record is another consumer's now.
   */
  public List<Retrying> retrying() {
    retrying.entrySet().removeIf(e -> !stillOurs(e.getKey(), e.getValue()));
    return retrying.values().stream()
        .map(Entry::retrying)
        .sorted(Comparator.comparing(Retrying::failingSince))
        .toList();
  }

  /** Seconds the oldest record {@code consumer} is retrying has been failing; 0 when none. */
  double stuckSeconds(String consumer) {
    Instant now = clock.instant();
    return retrying().stream()
        .filter(r -> r.consumer().equals(consumer))
        .mapToDouble(r -> r.stuckFor(now).toMillis() / 1000.0)
        .max()
        .orElse(0);
  }

  private static boolean stillOurs(Key key, Entry entry) {
    MessageListenerContainer container = entry.container();
    if (container == null) {
      return true;
    }
    Collection<TopicPartition> assigned = container.getAssignedPartitions();
    return container.isRunning() && assigned != null && assigned.contains(key.partition());
  }

  private void gauge(String consumer) {
    if (meters != null && gauged.add(consumer)) {
      Gauge.builder("paybridge.consumer.stuck.seconds", this, r -> r.stuckSeconds(consumer))
          .description("How long the oldest record the consumer keeps retrying has been failing")
          .baseUnit("seconds")
          .tag("consumer", consumer)
          .register(meters);
    }
  }

  private static String position(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }

  /** The listener's own exception (not the container's wrapper), shortened. */
  static String describe(Throwable failure) {
    Throwable t = failure;
    while (t instanceof org.springframework.kafka.listener.ListenerExecutionFailedException
        && t.getCause() != null) {
      t = t.getCause();
    }
    String text = t.toString();
    return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) + "…" : text;
  }
}
