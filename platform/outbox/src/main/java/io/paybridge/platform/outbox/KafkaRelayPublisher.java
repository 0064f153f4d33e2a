package io.paybridge.platform.outbox;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import io.paybridge.platform.events.CloudEventHeaders;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.IsoInstants;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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
 *
 * <p>Once {@link #stop() stopping}, the engine's polling thread takes no further batch and starts
 * no further attempt: it finishes the batch it is committing, then waits in this consumer ({@link
 * #awaitParked}) for the engine's {@code close()} to interrupt it. Debezium's engine shuts down the
 * pool that transforms polled records before it interrupts the polling thread, and fails ("Engine
 * has failed", an ERROR) when that thread submits a polled batch to the closed pool or ends with an
 * exception of its own first; a thread waiting here does neither.
 */
final class KafkaRelayPublisher
    implements DebeziumEngine.ChangeConsumer<ChangeEvent<SourceRecord, SourceRecord>> {

  private static final Logger log = LoggerFactory.getLogger(KafkaRelayPublisher.class);
  static final String HEARTBEAT_TOPIC_PREFIX = "__debezium-heartbeat";

  /** How long a stopped relay's polling thread waits for the engine's close (which comes next). */
  private static final Duration PARKED_AT_MOST = Duration.ofSeconds(60);

  private final Supplier<Producer<String, String>> producers;
  private final PositionTopic positions;
  private final OutboxProperties properties;
  private final RelayState state;
  private final MeterRegistry meters;
  private final BooleanSupplier leading;
  private final Timer lag;
  private final Counter aborted;
  private final Counter fenced;
  private final ParkedRecords parking;
  private final Predicate<String> topicMissing;
  private final Map<String, Counter> relayedByTopic = new ConcurrentHashMap<>();
  private volatile Producer<String, String> producer;
  private volatile boolean stopping;

  private volatile boolean inBatch;
  private final CountDownLatch parked = new CountDownLatch(1);
  private Runnable afterFirstCommit = () -> {};
  private RelayedRecords placements;
  private RecordTracing tracing = RecordTracing.NONE;
  private BiConsumer<Producer<String, String>, List<ProducerRecord<String, String>>> beforeCommit =
      (p, r) -> {};

  /**
   * @param producers new transactional producers (with the service's {@code transactional.id})
   * @param leading whether this instance still holds the leader lock: a relay that does not never
   *     initialises a producer, which would fence the leader that does
   * @param parking where records Kafka refuses for good are parked after {@code
   *     park-after-attempts}; {@code null}: never park
   */
  KafkaRelayPublisher(
      Supplier<Producer<String, String>> producers,
      PositionTopic positions,
      OutboxProperties properties,
      RelayState state,
      MeterRegistry meters,
      BooleanSupplier leading,
      ParkedRecords parking) {
    this.producers = producers;
    this.parking = parking;
    this.topicMissing = positions::topicMissing;
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

  /** Where the partitions and offsets of committed records are recorded (the timeline). */
  void placements(RelayedRecords placements) {
    this.placements = placements;
  }

  /** Where the spans of relayed records go. */
  void tracing(RecordTracing tracing) {
    this.tracing = tracing;
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
    if (stopping) {
      parkUntilClosed(); // not relayed: the next leader relays it from the committed position
    }
    inBatch = true;
    try {
      if (changes.isEmpty()) {
        committer.markBatchFinished();
      } else {
        relayBatch(changes, committer);
      }
    } finally {
      inBatch = false;
    }
    if (stopping) {
      parkUntilClosed();
    }
  }

  private void relayBatch(
      List<ChangeEvent<SourceRecord, SourceRecord>> changes,
      DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer)
      throws InterruptedException {
    List<ProducerRecord<String, String>> records = new ArrayList<>(changes.size());
    List<Span> spans = new ArrayList<>();
    try {
      relay(changes, committer, records, spans);
    } catch (InterruptedException | RuntimeException | Error e) {
      spans.forEach(span -> span.error(e));
      throw e;
    } finally {
      // A span per record, from its row's trace context to the commit of its transaction.
      spans.forEach(Span::end);
    }
  }

  private void relay(
      List<ChangeEvent<SourceRecord, SourceRecord>> changes,
      DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer,
      List<ProducerRecord<String, String>> records,
      List<Span> spans)
      throws InterruptedException {
    Instant oldest = null;
    for (var change : changes) {
      SourceRecord source = change.value();
      if (source == null || source.topic().startsWith(HEARTBEAT_TOPIC_PREFIX)) {
        continue; // heartbeats only move the recorded position forward
      }
      var record = toProducerRecord(source, spans);
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
    records = commitInOneTransaction(records, position);
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

  private ProducerRecord<String, String> toProducerRecord(SourceRecord source, List<Span> spans) {
    var headers = new ArrayList<Map.Entry<String, String>>();
    String traceparent = null;
    int traceparentAt = -1;
    for (Header header : source.headers()) {
      if (header.value() != null) {
        if (EventHeaders.TRACEPARENT.equals(header.key())) {
          traceparent = header.value().toString();
          traceparentAt = headers.size();
        }
        headers.add(Map.entry(header.key(), header.value().toString()));
      }
    }
    if (tracing.enabled()) {
      // The record carries the relay's span, a child of the span that wrote the row.
      Span span = tracing.start("outbox relay " + source.topic(), Span.Kind.PRODUCER, traceparent);
      span.tag("messaging.system", "kafka");
      span.tag("messaging.destination.name", source.topic());
      spans.add(span);
      String relayed = tracing.traceparentOf(span);
      if (relayed != null) {
        var entry = Map.entry(EventHeaders.TRACEPARENT, relayed);
        if (traceparentAt < 0) {
          headers.add(entry);
        } else {
          headers.set(traceparentAt, entry);
        }
      }
    }
    Object key = source.key();
    Object value = source.value();
    return outboxRecord(
        source.topic(),
        key == null ? null : key.toString(),
        value == null ? null : value.toString(),
        headers,
        properties.source());
  }

  /**
   * The Kafka record of an outbox row: the outbox headers as the Outbox Event Router made them
   * ({@code id}, {@code eventType}, {@code tenant}, {@code organisationId}, {@code traceparent},
   * {@code createdAt}; absent when null), then the CloudEvents headers. The relay and {@link
   * OutboxRepublisher} both build records here, so that a re-published event is the same record.
   */
  static ProducerRecord<String, String> outboxRecord(
      String topic,
      String key,
      String value,
      List<Map.Entry<String, String>> outboxHeaders,
      String source) {
    var headers = new RecordHeaders();
    String id = null;
    String type = null;
    String createdAt = null;
    for (var header : outboxHeaders) {
      headers.add(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8));
      switch (header.getKey()) {
        case EventHeaders.ID -> id = header.getValue();
        case EventHeaders.EVENT_TYPE -> type = header.getValue();
        case EventHeaders.CREATED_AT -> createdAt = header.getValue();
        default -> {}
      }
    }
    Instant time = IsoInstants.parseOrNull(createdAt);
    CloudEventHeaders.of(id, type, source, time == null ? Instant.now() : time)
        .forEach((name, text) -> headers.add(name, text.getBytes(StandardCharsets.UTF_8)));
    return new ProducerRecord<>(topic, null, key, value, headers);
  }

  /**
   * Sends the batch and its position in one transaction, and retries until it is committed. A
   * record Kafka refuses for good ({@link RecordRefusal}) fails every attempt: the relay reports it
   * (health DOWN with the reason, {@code paybridge.outbox.relay.refused}), and after {@code
   * park-after-attempts} attempts parks it in {@code outbox_parked} and commits the rest of the
   * batch without it.
   *
   * @return the records committed (the batch without those parked)
   */
  private List<ProducerRecord<String, String>> commitInOneTransaction(
      List<ProducerRecord<String, String>> batch, RelayPosition position)
      throws InterruptedException {
    var records = new ArrayList<>(batch);
    var refusedAttempts = new HashMap<ProducerRecord<String, String>, Integer>();
    boolean outcomeUnknown = false;
    while (true) {
      if (stopping) {
        parkUntilClosed(); // not committed: relayed again from the committed position
      }
      Producer<String, String> current = null;
      boolean begun = false;
      var sent = new ArrayList<Future<RecordMetadata>>(records.size());
      var doneAtSend = new HashSet<Integer>();
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
            return records;
          }
        }
        current.beginTransaction();
        begun = true;
        for (var record : records) {
          var future = current.send(record);
          if (future.isDone()) {
            doneAtSend.add(sent.size()); // refused by the producer itself, not queued
          }
          sent.add(future);
        }
        current.send(positions.record(position));
        beforeCommit.accept(current, records);
        // Flushes the sends and fails if any of them failed; commits nothing then.
        current.commitTransaction();
        committed();
        recordPlacements(records, sent);
        return records;
      } catch (KafkaException e) {
        if (isFenced(e)) {
          throw fencedBy(e);
        }
        state.publishingFailed(e);
        if (begun) {
          aborted.increment();
          outcomeUnknown = !abort(current);
        }
        var refused = refusedRecords(records, sent, doneAtSend);
        if (!refused.isEmpty()) {
          if (parkAfterRepeatedRefusals(records, refused, refusedAttempts)) {
            continue; // the rest of the batch at once, in a new transaction
          }
        } else {
          log.warn(
              "Outbox relay transaction of {} records failed ({}); retrying in {}",
              records.size(),
              e.toString(),
              properties.retryBackoff());
        }
        Thread.sleep(properties.retryBackoff().toMillis());
      }
    }
  }

  /**
   * Counts one more refusal of each refused record, reports it, and parks the records refused
   * {@code park-after-attempts} times, removing them from {@code records}.
   *
   * @return whether records were parked (the rest can be sent at once)
   */
  private boolean parkAfterRepeatedRefusals(
      List<ProducerRecord<String, String>> records,
      Map<ProducerRecord<String, String>, Refused> refused,
      Map<ProducerRecord<String, String>, Integer> attempts) {
    int parkAfter = properties.parkAfterAttempts();
    var toPark = new ArrayList<ProducerRecord<String, String>>();
    for (var entry : refused.entrySet()) {
      var record = entry.getKey();
      var error = entry.getValue();
      int attempt = attempts.merge(record, 1, Integer::sum);
      meterFor("paybridge.outbox.relay.refused", error.refusal()).increment();
      String detail =
          "event "
              + eventId(record)
              + " to "
              + record.topic()
              + " refused by Kafka: "
              + error.message()
              + (parking == null || parkAfter <= 0
                  ? " (parking is off: fix the cause; the relay retries)"
                  : " (attempt " + attempt + " of " + parkAfter + ", then parked)");
      state.recordRefused(error.refusal().code, detail);
      if (attempt == 1) {
        log.error("Outbox relay of {}: {}", properties.serviceName(), detail);
      }
      if (parking != null && parkAfter > 0 && attempt >= parkAfter) {
        toPark.add(record);
      }
    }
    int parked = 0;
    for (var record : toPark) {
      var error = refused.get(record);
      try {
        parking.park(record, error.refusal(), error.message());
        records.remove(record);
        parked++;
        meterFor("paybridge.outbox.relay.parked", error.refusal()).increment();
        log.warn(
            "Outbox relay of {} parked event {} ({}, to {}) in outbox_parked and relays the"
                + " rest; runbook: parked records",
            properties.serviceName(),
            eventId(record),
            error.refusal().code,
            record.topic());
      } catch (java.sql.SQLException | RuntimeException e) {
        log.warn("Could not park event {}: {}; retrying", eventId(record), e.toString());
      }
    }
    state.parked(parked);
    return parked > 0;
  }

  /** Why Kafka refused a record for good. */
  private record Refused(RecordRefusal refusal, String message) {}

  /**
   * The records of the failed attempt whose own sends failed with a {@link RecordRefusal} (not
   * those that only carry another record's refusal: {@link RecordRefusal#ownFailures}).
   */
  private Map<ProducerRecord<String, String>, Refused> refusedRecords(
      List<ProducerRecord<String, String>> records,
      List<Future<RecordMetadata>> sent,
      Set<Integer> doneAtSend) {
    var refused = new LinkedHashMap<ProducerRecord<String, String>, Refused>();
    RecordRefusal.ownFailures(sent, doneAtSend)
        .forEach(
            (index, cause) -> {
              var record = records.get(index);
              var refusal = RecordRefusal.ofSend(cause, record.topic());
              if (refusal.isEmpty()
                  && RecordRefusal.maybeMissingTopic(cause)
                  && topicMissing.test(record.topic())) {
                refusal = Optional.of(RecordRefusal.TOPIC_MISSING);
              }
              refusal.ifPresent(r -> refused.put(record, new Refused(r, cause.toString())));
            });
    return refused;
  }

  private Counter meterFor(String name, RecordRefusal refusal) {
    return Counter.builder(name)
        .description(
            name.endsWith("parked")
                ? "Records Kafka refused for good that the relay parked in outbox_parked"
                : "Attempts to relay a record that Kafka refused for good")
        .tag("reason", refusal.code)
        .register(meters);
  }

  private static String eventId(ProducerRecord<String, String> record) {
    var header = record.headers().lastHeader(EventHeaders.ID);
    return header == null ? "(no id)" : new String(header.value(), StandardCharsets.UTF_8);
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

  /** Takes no further batch or attempt (see the class comment); the engine is closed next. */
  void stop() {
    stopping = true;
  }

  /**
   * After {@link #stop()}: waits until the engine's polling thread waits in this consumer, giving a
   * batch being committed up to {@code batchInFlight} to finish and an idle thread (polling, no
   * batch) up to {@code idle} to come with one.
   *
   * @return whether the polling thread waits here (else it is polling, still committing, or the
   *     calling thread was interrupted, whose interrupt is kept)
   */
  boolean awaitParked(Duration idle, Duration batchInFlight) {
    long start = System.nanoTime();
    try {
      while (!parked.await(10, TimeUnit.MILLISECONDS)) {
        long waited = System.nanoTime() - start;
        if (waited >= batchInFlight.toNanos() || (!inBatch && waited >= idle.toNanos())) {
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits on the engine's polling thread until the engine's {@code close()} interrupts it, which
   * happens after its record pool is shut down; the {@link InterruptedException} then ends a
   * polling task the engine has already cancelled.
   */
  private void parkUntilClosed() throws InterruptedException {
    parked.countDown();
    Thread.sleep(PARKED_AT_MOST.toMillis());
    throw new InterruptedException("Relay stopped; the engine was not closed in time");
  }

  /** After a commit every send has completed: their metadata says where each record went. */
  private void recordPlacements(
      List<ProducerRecord<String, String>> records, List<Future<RecordMetadata>> sent) {
    var current = placements;
    if (current == null) {
      return;
    }
    var placed = new ArrayList<RelayedRecords.Placement>(records.size());
    for (int i = 0; i < records.size() && i < sent.size(); i++) {
      var future = sent.get(i);
      if (future.isDone() && !future.isCancelled()) {
        try {
          RecordMetadata metadata = future.get();
          placed.add(
              new RelayedRecords.Placement(
                  eventId(records.get(i)),
                  metadata.partition(),
                  metadata.offset(),
                  metadata.hasTimestamp()
                      ? Instant.ofEpochMilli(metadata.timestamp())
                      : Instant.now()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (ExecutionException e) {
          // committed, so not expected; the timeline then lacks this record's offset
        }
      }
    }
    current.record(placed);
  }

  /** Ends the placements' writer: this publisher relays no more. */
  void closePlacements() {
    var current = placements;
    if (current != null) {
      current.close();
    }
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
    // Read three times per record (its CloudEvents time, the batch's oldest row, the relay lag).
    return header == null
        ? null
        : IsoInstants.parseOrNull(new String(header.value(), StandardCharsets.UTF_8));
  }
}
