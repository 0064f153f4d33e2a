package io.paybridge.bench;

import io.paybridge.platform.events.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from its end and notes, per event id (the {@code id} header), when the record
 * became readable: the {@link System#nanoTime()} at which this consumer's poll returned it.
 */
final class KafkaArrivals implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
  private final AtomicLong received = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  KafkaArrivals(String bootstrapServers, String topic) {
    var properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
    var partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // resolve the end now, before any load is sent
    thread = Thread.ofPlatform().name("bench-kafka-arrivals").daemon().start(this::poll);
  }

  private void poll() {
    try {
      while (running) {
        var records = consumer.poll(Duration.ofMillis(200));
        long now = System.nanoTime();
        for (var record : records) {
          // The relay writes the id header first: stop there rather than decode every header's
          // name, as lastHeader does (a dozen per record, on the machine the service shares).
          for (var header : record.headers()) {
            if (header.key().equals(EventHeaders.ID)) {
              arrivals.put(new String(header.value(), StandardCharsets.UTF_8), now);
              break;
            }
          }
        }
        received.addAndGet(records.count());
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** When the record of {@code eventId} was first read, or {@code null}. */
  Long arrival(String eventId) {
    return arrivals.get(eventId);
  }

  long received() {
    return received.get();
  }

  /** Forgets the arrivals of a finished phase. */
  void forget(Iterable<String> eventIds) {
    for (String id : eventIds) {
      arrivals.remove(id);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }
}
