package io.paybridge.platform.outbox;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.paybridge.platform.events.CloudEventHeaders;
import io.paybridge.platform.events.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the outbox changes routed by Debezium's Outbox Event Router to Kafka, exactly once for a
 * {@code read_committed} consumer: each batch of records and the batch's source position (the
 * Debezium offset of its last change, on the {@link PositionTopic}) are committed in one Kafka
 * transaction, and the batch is marked processed only after the commit, so the engine never flushes
 * (nor confirms to PostgreSQL) a position Kafka does not hold.
 *
 * <p>A transaction that fails is aborted and the same batch is sent again in a new one, until it
 * commits. When the outcome of a commit is unknown (a timeout), the producer is replaced (its
 * {@code initTransactions} completes or aborts what was pending) and the committed position is read
 * back: if it is this batch's, the batch is done. A producer fenced by a newer leader ({@link
 * ProducerFencedException}) ends the batch with {@link RelayFencedException}: this relay stops.
 */
final class KafkaRelayPublisher
    implements DebeziumEngine.ChangeConsumer<ChangeEvent<SourceRecord, SourceRecord>> {

  private static final Logger log = LoggerFactory.getLogger(KafkaRelayPublisher.class);
  static final String HEARTBEAT_TOPIC_PREFIX = "__debezium-heartbeat";

  private final Supplier<Producer<String, String>> producers;
  private final PositionTopic positions;
  private final OutboxProperties properties;
  private final RelayState state;
  private final MeterRegistry meters;
  private final BooleanSupplier leading;
  private final Timer lag;
  private final Counter aborted;
  private final Counter fenced;
  private final Map<String, Counter> relayedByTopic = new ConcurrentHashMap<>();
  private volatile Producer<String, String> producer;
  private volatile boolean stopping;
  private Runnable afterFirstCommit = () -> {};
  private BiConsumer<Producer<String, String>, List<ProducerRecord<String, String>>> beforeCommit =
      (p, r) -> {};

  /**
   * @param producers new transactional producers (with the service's {@code transactional.id})
   * @param leading whether this instance still holds the leader lock: a relay that does not never
   *     initialises a producer, which would fence the leader that does
   */
  KafkaRelayPublisher(
      Supplier<Producer<String, String>> producers,
      PositionTopic positions,
      OutboxProperties properties,
      RelayState state,
      MeterRegistry meters,
      BooleanSupplier leading) {
    this.producers = producers;
    this.positions = positions;
    this.properties = properties;
    this.state = state;
    this.meters = meters;
    this.leading = leading;
    this.lag =
        Timer.builder("paybridge.outbox.relay.lag")
            .description("Outbox insert to Kafka acknowledgement")
            .publishPercentileHistogram()
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(meters);
    this.aborted =
        Counter.builder("paybridge.outbox.relay.aborted")
            .description("Relay transactions that failed and were aborted (the batch is retried)")
            .register(meters);
    this.fenced =
        Counter.builder("paybridge.outbox.relay.fenced")
            .description("Times this instance's relay producer was fenced by a newer leader")
            .register(meters);
  }

  /** Runs once, after the first batch this publisher commits. */
  void afterFirstCommit(Runnable action) {
    this.afterFirstCommit = action;
  }

  /**
   * Runs between the last send of a batch and its commit, with the batch's outbox records (none for
   * a batch of heartbeats). A fault-injection point for tests: what it throws is handled as a
   * failure of the transaction (a {@link KafkaException}) or ends the engine (anything else), as a
   * crash at that moment would.
   */
  void beforeCommit(
      BiConsumer<Producer<String, String>, List<ProducerRecord<String, String>>> action) {
    this.beforeCommit = action;
  }

  /**
   * Prepares the relay to stream, before its engine starts: creates the position topic if needed,
   * initialises the transactional producer (which fences a previous leader's producer and aborts
   * its open transaction), then reads the committed position, in that order, so that no zombie can
   * commit past the position read. Retries while Kafka is unreachable.
   *
   * @param stillLeader checks, on the calling thread, that this instance still holds the lock
   * @return the position to start from, or empty when Kafka holds none
   * @throws InterruptedException when the relay stops or loses the lead meanwhile
   * @throws RelayFencedException when a newer leader fences this one meanwhile
   */
  Optional<RelayPosition> connect(BooleanSupplier stillLeader) throws InterruptedException {
    while (true) {
      checkStillRunning();
      if (!stillLeader.getAsBoolean()) {
        throw new InterruptedException("Lost the leader lock before streaming");
      }
      try {
        positions.ensureExists();
        if (producer == null) {
          producer = initialisedProducer();
        }
        Optional<RelayPosition> position = positions.readLast();
        state.publishingRecovered();
        return position;
      } catch (KafkaException | java.util.concurrent.TimeoutException e) {
        if (isFenced(e)) {
          throw fencedBy(e);
        }
        state.publishingFailed(e);
        log.warn(
            "Outbox relay of {} cannot reach Kafka ({}); retrying in {}",
            properties.serviceName(),
            e.toString(),
            properties.retryBackoff());
        closeProducer();
        Thread.sleep(properties.retryBackoff().toMillis());
      }
    }
  }

  @Override
  public void handleBatch(
      List<ChangeEvent<SourceRecord, SourceRecord>> changes,
      DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer)
      throws InterruptedException {
    if (changes.isEmpty()) {
      committer.markBatchFinished();
      return;
    }
    var records = new ArrayList<ProducerRecord<String, String>>(changes.size());
    Instant oldest = null;
    for (var change : changes) {
      SourceRecord source = change.value();
      if (source == null || source.topic().startsWith(HEARTBEAT_TOPIC_PREFIX)) {
        continue; // heartbeats only move the recorded position forward
      }
      var record = toProducerRecord(source);
      records.add(record);
      Instant createdAt = createdAt(record);
      if (createdAt != null && (oldest == null || createdAt.isBefore(oldest))) {
        oldest = createdAt;
      }
    }
    SourceRecord last = changes.getLast().value();
    // Heartbeat-only batches are committed too, so that the slot's confirmed LSN never passes the
    // position Kafka holds.
    var position =
        new RelayPosition(
            UUID.randomUUID().toString(), last.sourcePartition(), last.sourceOffset());
    if (!records.isEmpty()) {
      state.sending(oldest == null ? Instant.now() : oldest);
    }
    commitInOneTransaction(records, position);
    if (!records.isEmpty()) {
      Instant now = Instant.now();
      for (var record : records) {
        Instant createdAt = createdAt(record);
        if (createdAt != null) {
          lag.record(Duration.between(createdAt, now));
        }
        relayedByTopic
            .computeIfAbsent(
                record.topic(),
                topic ->
                    Counter.builder("paybridge.outbox.relayed")
                        .description("Outbox events relayed to Kafka")
                        .tag("topic", topic)
                        .register(meters))
            .increment();
      }
      state.relayed(
          records.size(), now, oldest == null ? Duration.ZERO : Duration.between(oldest, now));
    }
    // Only now may the engine record the position (and confirm its LSN to PostgreSQL).
    for (var change : changes) {
      committer.markProcessed(change);
    }
    committer.markBatchFinished();
  }

  private ProducerRecord<String, String> toProducerRecord(SourceRecord source) {
    var headers = new RecordHeaders();
    String id = null;
    String type = null;
    String createdAt = null;
    for (Header header : source.headers()) {
      if (header.value() == null) {
        continue;
      }
      String value = header.value().toString();
      headers.add(header.key(), value.getBytes(StandardCharsets.UTF_8));
      switch (header.key()) {
        case EventHeaders.ID -> id = value;
        case EventHeaders.EVENT_TYPE -> type = value;
        case EventHeaders.CREATED_AT -> createdAt = value;
        default -> {}
      }
    }
    Instant time = parseInstant(createdAt);
    CloudEventHeaders.of(id, type, properties.source(), time == null ? Instant.now() : time)
        .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
    Object key = source.key();
    Object value = source.value();
    return new ProducerRecord<>(
        source.topic(),
        null,
        key == null ? null : key.toString(),
        value == null ? null : value.toString(),
        headers);
  }

  /** Sends the batch and its position in one transaction, and retries until it is committed. */
  private void commitInOneTransaction(
      List<ProducerRecord<String, String>> records, RelayPosition position)
      throws InterruptedException {
    boolean outcomeUnknown = false;
    while (true) {
      checkStillRunning();
      Producer<String, String> current = null;
      boolean begun = false;
      try {
        if (producer == null) {
          producer = initialisedProducer();
        }
        current = producer;
        if (outcomeUnknown) {
          // The failed attempt may have committed after all: the position on Kafka says.
          boolean done =
              positions.readLast().map(p -> position.batch().equals(p.batch())).orElse(false);
          outcomeUnknown = false;
          if (done) {
            log.info("Outbox relay batch {} had been committed after all", position.batch());
            committed();
            return;
          }
        }
        current.beginTransaction();
        begun = true;
        for (var record : records) {
          current.send(record);
        }
        current.send(positions.record(position));
        beforeCommit.accept(current, records);
        // Flushes the sends and fails if any of them failed; commits nothing then.
        current.commitTransaction();
        committed();
        return;
      } catch (KafkaException e) {
        if (isFenced(e)) {
          throw fencedBy(e);
        }
        state.publishingFailed(e);
        log.warn(
            "Outbox relay transaction of {} records failed ({}); retrying in {}",
            records.size(),
            e.toString(),
            properties.retryBackoff());
        if (begun) {
          aborted.increment();
          outcomeUnknown = !abort(current);
        }
        Thread.sleep(properties.retryBackoff().toMillis());
      }
    }
  }

  private void committed() {
    state.publishingRecovered();
    Runnable action = afterFirstCommit;
    afterFirstCommit = () -> {};
    action.run();
  }

  /**
   * Aborts the open transaction; when that is impossible (a commit that timed out, Kafka away, a
   * producer in a fatal state) drops the producer instead: the next one's {@code initTransactions}
   * completes or aborts whatever was pending.
   *
   * @return whether the transaction is known to be aborted
   */
  private boolean abort(Producer<String, String> current) {
    if (current == null) {
      return true; // no transaction was begun
    }
    try {
      current.abortTransaction();
      return true;
    } catch (RuntimeException e) {
      if (isFenced(e)) {
        throw fencedBy(e);
      }
      log.debug("Aborting the relay transaction failed; replacing the producer", e);
      closeProducer();
      return false;
    }
  }

  private Producer<String, String> initialisedProducer() {
    if (!leading.getAsBoolean()) {
      // Initialising would fence the leader that holds the lock now.
      throw new RelayFencedException(
          new IllegalStateException("this instance no longer holds the leader lock"));
    }
    var created = producers.get();
    try {
      created.initTransactions();
      return created;
    } catch (RuntimeException e) {
      created.close(Duration.ZERO);
      throw e;
    }
  }

  private RelayFencedException fencedBy(Throwable cause) {
    fenced.increment();
    state.fenced(cause);
    log.warn(
        "Outbox relay producer of {} ({}) was fenced by a newer leader; stopping",
        properties.serviceName(),
        properties.transactionalId());
    closeProducer();
    return cause instanceof RelayFencedException relayFenced
        ? relayFenced
        : new RelayFencedException(cause);
  }

  static boolean isFenced(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof ProducerFencedException) {
        return true;
      }
    }
    return false;
  }

  private void checkStillRunning() throws InterruptedException {
    if (stopping) {
      throw new InterruptedException(
          "Relay stopping; the batch will be relayed again from the committed position");
    }
  }

  void stop() {
    stopping = true;
  }

  void closeProducer() {
    var current = producer;
    producer = null;
    if (current != null) {
      try {
        // No wait: an open transaction is aborted by the broker when the next producer with this
        // transactional.id initialises, or after transaction-timeout.
        current.close(Duration.ZERO);
      } catch (RuntimeException e) {
        log.debug("Closing the relay's producer failed", e);
      }
    }
  }

  private static Instant createdAt(ProducerRecord<String, String> record) {
    var header = record.headers().lastHeader(EventHeaders.CREATED_AT);
    return header == null ? null : parseInstant(new String(header.value(), StandardCharsets.UTF_8));
  }

  private static Instant parseInstant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
