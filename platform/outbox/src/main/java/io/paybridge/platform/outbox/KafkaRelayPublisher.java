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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the outbox changes routed by Debezium's Outbox Event Router to Kafka, and lets Debezium
 * record its position only once Kafka has acknowledged every record of the batch ({@code
 * acks=all}). A batch Kafka does not acknowledge is sent again until it is, so a committed event is
 * never dropped; a re-sent batch may duplicate records, which consumers absorb by their event id.
 */
final class KafkaRelayPublisher
    implements DebeziumEngine.ChangeConsumer<ChangeEvent<SourceRecord, SourceRecord>> {

  private static final Logger log = LoggerFactory.getLogger(KafkaRelayPublisher.class);
  static final String HEARTBEAT_TOPIC_PREFIX = "__debezium-heartbeat";

  private final Supplier<Producer<String, String>> producers;
  private final OutboxProperties properties;
  private final RelayState state;
  private final MeterRegistry meters;
  private final Timer lag;
  private final Map<String, Counter> relayedByTopic = new ConcurrentHashMap<>();
  private Producer<String, String> producer;
  private volatile boolean stopping;

  KafkaRelayPublisher(
      Supplier<Producer<String, String>> producers,
      OutboxProperties properties,
      RelayState state,
      MeterRegistry meters) {
    this.producers = producers;
    this.properties = properties;
    this.state = state;
    this.meters = meters;
    this.lag =
        Timer.builder("paybridge.outbox.relay.lag")
            .description("Outbox insert to Kafka acknowledgement")
            .publishPercentileHistogram()
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(meters);
  }

  @Override
  public void handleBatch(
      List<ChangeEvent<SourceRecord, SourceRecord>> changes,
      DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer)
      throws InterruptedException {
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
    if (!records.isEmpty()) {
      state.sending(oldest == null ? Instant.now() : oldest);
      sendUntilAcknowledged(records);
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

  private void sendUntilAcknowledged(List<ProducerRecord<String, String>> records)
      throws InterruptedException {
    while (true) {
      if (stopping) {
        throw new InterruptedException(
            "Relay stopping; the batch will be relayed again on restart");
      }
      try {
        if (producer == null) {
          producer = producers.get();
        }
        long deadline = System.nanoTime() + properties.sendTimeout().toNanos();
        var acknowledgements = new ArrayList<Future<RecordMetadata>>(records.size());
        for (var record : records) {
          // send() itself may block while Kafka is unreachable: the whole batch shares one
          // deadline.
          if (System.nanoTime() > deadline) {
            throw new TimeoutException(
                "Kafka did not take the batch within " + properties.sendTimeout());
          }
          acknowledgements.add(producer.send(record));
        }
        for (var acknowledgement : acknowledgements) {
          acknowledgement.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        state.publishingRecovered();
        return;
      } catch (ExecutionException | TimeoutException | KafkaException e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        state.publishingFailed(cause);
        log.warn(
            "Kafka did not acknowledge {} outbox records ({}); retrying in {}",
            records.size(),
            cause.toString(),
            properties.retryBackoff());
        closeProducer(); // a fresh producer after a failure: no half-sent state carried over
        Thread.sleep(properties.retryBackoff().toMillis());
      }
    }
  }

  void stop() {
    stopping = true;
  }

  void closeProducer() {
    if (producer != null) {
      try {
        producer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.debug("Closing the relay's producer failed", e);
      }
      producer = null;
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
