package io.paybridge.platform.outbox;

import io.paybridge.platform.events.OutboxEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * A batch listener applying {@code test.batch} through {@link IdempotentConsumer#applyBatch}: each
 * applied event appends a row to {@code test_batch_effects} and publishes {@code Applied} (id
 * {@code applied-<event id>}) on {@code test.batch-facts}, two effects that would double if an
 * event were applied twice. A record whose value is {@code poison} cannot be read.
 */
@Component
class BatchTestListener {

  static final String TOPIC = "test.batch";
  static final String FACTS = "test.batch-facts";
  static final String CONSUMER = "outbox-test-batch";

  /** Handler runs per event id, committed or not (static: any context's). */
  static final Map<String, AtomicInteger> HANDLED = new ConcurrentHashMap<>();

  /** The event ids of each batch the listener was given, in delivery order. */
  static final List<List<String>> BATCHES = new CopyOnWriteArrayList<>();

  private final IdempotentConsumer idempotent;
  private final JdbcTemplate jdbc;
  private final OutboxWriter outbox;

  BatchTestListener(IdempotentConsumer idempotent, JdbcTemplate jdbc, OutboxWriter outbox) {
    this.idempotent = idempotent;
    this.jdbc = jdbc;
    this.outbox = outbox;
  }

  record Event(String id, String key, long offset) {}

  static int handled(String eventId) {
    var count = HANDLED.get(eventId);
    return count == null ? 0 : count.get();
  }

  @KafkaListener(topics = TOPIC, batch = "true")
  void on(List<ConsumerRecord<String, String>> records) {
    BATCHES.add(records.stream().map(BatchTestListener::idOf).toList());
    idempotent.applyBatch(CONSUMER, records, BatchTestListener::read, this::applyAll);
  }

  private static Event read(ConsumerRecord<String, String> record, String eventId) {
    if ("poison".equals(record.value())) {
      throw new PoisonMessageException("Event " + eventId + " is not JSON");
    }
    return new Event(eventId, record.key(), record.offset());
  }

  private void applyAll(List<Event> events) {
    jdbc.batchUpdate(
        "insert into test_batch_effects (event_id, record_offset) values (?, ?)",
        events.stream().map(e -> new Object[] {e.id(), e.offset()}).toList());
    outbox.appendAll(
        events.stream()
            .map(e -> OutboxEvent.of("applied-" + e.id(), FACTS, e.key(), "Applied", "{}"))
            .toList());
    events.forEach(
        e -> HANDLED.computeIfAbsent(e.id(), id -> new AtomicInteger()).incrementAndGet());
  }

  private static String idOf(ConsumerRecord<String, String> record) {
    var header = record.headers().lastHeader(io.paybridge.platform.events.EventHeaders.ID);
    return header == null
        ? null
        : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
