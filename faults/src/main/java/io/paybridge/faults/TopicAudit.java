package io.paybridge.faults;

import io.paybridge.platform.events.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Counts what a scenario's events became on Kafka. Created before the load starts, it notes every
 * partition's end; {@link #audit} then reads from there, first until the markers (events sent after
 * every other event was acknowledged, one per partition) have all been read — so nothing committed
 * before them can still be on its way — and then up to the end offsets, once with {@code
 * read_committed} (what every consumer of the platform sees) and once with {@code read_uncommitted}
 * (informative: records of aborted transactions too).
 *
 * <p>No quiet window: when the markers do not arrive within the timeout, that is reported, and the
 * counts are what the topics held at that moment.
 */
final class TopicAudit {

  private final String bootstrapServers;
  private final Map<TopicPartition, Long> start;

  /** What the topics held for one scenario's events. */
  record Result(
      long acknowledged,
      long missing,
      List<String> missingSample,
      long duplicatedEvents,
      long extraCopies,
      long unexpected,
      boolean markersSeen,
      Duration markerWait,
      long uncommittedDuplicatedEvents,
      long uncommittedExtraCopies,
      Map<String, Integer> copies) {

    boolean exact() {
      return markersSeen && missing == 0 && duplicatedEvents == 0 && unexpected == 0;
    }

    String describe() {
      return String.format(
          "acknowledged %d, missing %d%s, duplicated %d (%d extra copies), unexpected %d;"
              + " markers %s; read_uncommitted: duplicated %d (%d extra copies)",
          acknowledged,
          missing,
          missingSample.isEmpty() ? "" : " (e.g. " + String.join(", ", missingSample) + ")",
          duplicatedEvents,
          extraCopies,
          unexpected,
          markersSeen
              ? "read " + millis(markerWait) + " after they were acknowledged"
              : "NOT read within " + millis(markerWait),
          uncommittedDuplicatedEvents,
          uncommittedExtraCopies);
    }
  }

  TopicAudit(String bootstrapServers, Collection<String> topics) {
    this.bootstrapServers = bootstrapServers;
    try (var consumer = consumer("read_uncommitted")) {
      var partitions = partitions(consumer, topics);
      this.start = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
    }
  }

  /**
   * @param acknowledged ids of the events that got a 2xx
   * @param prefix ids of this scenario's events start with it (others are not counted)
   * @param markers ids of the marker events (acknowledged after every other event)
   */
  Result audit(
      Set<String> acknowledged, String prefix, Set<String> markers, Duration markerTimeout) {
    long began = System.nanoTime();
    var committed = new HashMap<String, Integer>();
    boolean markersSeen;
    try (var consumer = consumer("read_committed")) {
      consumer.assign(start.keySet());
      start.forEach(consumer::seek);
      var seenMarkers = new HashSet<String>();
      Consumer<String> count =
          id -> {
            if (markers.contains(id)) {
              seenMarkers.add(id);
            } else if (id.startsWith(prefix)) {
              committed.merge(id, 1, Integer::sum);
            }
          };
      long deadline = began + markerTimeout.toNanos();
      long nextReport = began + Duration.ofSeconds(10).toNanos();
      while (seenMarkers.size() < markers.size() && System.nanoTime() < deadline) {
        poll(consumer, count);
        if (System.nanoTime() > nextReport) {
          FaultHarness.say(
              "    waiting for markers: %d of %d read, %d of %d acknowledged events read",
              seenMarkers.size(), markers.size(), committed.size(), acknowledged.size());
          nextReport += Duration.ofSeconds(10).toNanos();
        }
      }
      markersSeen = seenMarkers.size() == markers.size();
      readToEnd(consumer, count);
    }
    Duration markerWait = Duration.ofNanos(System.nanoTime() - began);

    var uncommitted = new HashMap<String, Integer>();
    try (var consumer = consumer("read_uncommitted")) {
      consumer.assign(start.keySet());
      start.forEach(consumer::seek);
      readToEnd(
          consumer,
          id -> {
            if (id.startsWith(prefix) && !markers.contains(id)) {
              uncommitted.merge(id, 1, Integer::sum);
            }
          });
    }

    var missing = new ArrayList<String>();
    for (String id : acknowledged) {
      if (!committed.containsKey(id)) {
        missing.add(id);
      }
    }
    long unexpected = committed.keySet().stream().filter(id -> !acknowledged.contains(id)).count();
    return new Result(
        acknowledged.size(),
        missing.size(),
        missing.stream().sorted().limit(3).toList(),
        committed.values().stream().filter(n -> n > 1).count(),
        committed.values().stream().mapToLong(n -> n - 1).sum(),
        unexpected,
        markersSeen,
        markerWait,
        uncommitted.values().stream().filter(n -> n > 1).count(),
        uncommitted.values().stream().mapToLong(n -> n - 1).sum(),
        committed);
  }

  /**
   * The end offset of every audited partition now, with {@code read_uncommitted}: it moves with any
   * record or transaction marker written, committed or not.
   */
  Map<TopicPartition, Long> endOffsets() {
    try (var consumer = consumer("read_uncommitted")) {
      return new HashMap<>(consumer.endOffsets(start.keySet(), Duration.ofSeconds(30)));
    }
  }

  /**
   * Data records (committed or not; transaction markers are not records) written to the audited
   * partitions between two {@link #endOffsets()}.
   */
  long recordsBetween(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
    long records = 0;
    try (var consumer = consumer("read_uncommitted")) {
      consumer.assign(to.keySet());
      to.keySet().forEach(p -> consumer.seek(p, from.getOrDefault(p, 0L)));
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (to.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Could not read to " + to + " in 2 minutes");
        }
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          var partition = new TopicPartition(record.topic(), record.partition());
          if (record.offset() < to.get(partition)) {
            records++;
          }
        }
      }
    }
    return records;
  }

  /** One record of an event as a {@code read_committed} consumer got it, bytes as on the wire. */
  record Copy(
      TopicPartition partition, long offset, byte[] key, byte[] value, List<Header> headers) {

    byte[] header(String name) {
      for (var header : headers) {
        if (header.key().equals(name)) {
          return header.value();
        }
      }
      return null;
    }

    /** Same key, value and {@code id} header, byte for byte. */
    boolean sameEvent(Copy other) {
      return Arrays.equals(key, other.key)
          && Arrays.equals(value, other.value)
          && Arrays.equals(header(EventHeaders.ID), other.header(EventHeaders.ID));
    }

    /** Every header the same, in the same order, byte for byte. */
    boolean sameHeaders(Copy other) {
      if (headers.size() != other.headers.size()) {
        return false;
      }
      for (int i = 0; i < headers.size(); i++) {
        var a = headers.get(i);
        var b = other.headers.get(i);
        if (!a.key().equals(b.key()) || !Arrays.equals(a.value(), b.value())) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Every committed record of the events whose id starts with {@code prefix}, from where this audit
   * started to the last stable offset, per event id in offset order per partition.
   */
  Map<String, List<Copy>> copies(String prefix) {
    var copies = new HashMap<String, List<Copy>>();
    var properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "faults-audit-" + UUID.randomUUID());
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    try (var consumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(start.keySet());
      start.forEach(consumer::seek);
      var end = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(30));
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Could not read to " + end + " in 2 minutes");
        }
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          var id = record.headers().lastHeader(EventHeaders.ID);
          if (id == null) {
            continue;
          }
          String eventId = new String(id.value(), StandardCharsets.UTF_8);
          if (eventId.startsWith(prefix)) {
            copies
                .computeIfAbsent(eventId, k -> new ArrayList<>())
                .add(
                    new Copy(
                        new TopicPartition(record.topic(), record.partition()),
                        record.offset(),
                        record.key(),
                        record.value(),
                        List.of(record.headers().toArray())));
          }
        }
      }
    }
    return copies;
  }

  /** Records written to {@code topic} since this audit was created (dead-letter topics). */
  long recordsSince(String topic) {
    try (var consumer = consumer("read_uncommitted")) {
      long total = 0;
      for (var entry :
          consumer
              .endOffsets(partitions(consumer, List.of(topic)), Duration.ofSeconds(30))
              .entrySet()) {
        total += entry.getValue() - start.getOrDefault(entry.getKey(), 0L);
      }
      return total;
    }
  }

  private static void readToEnd(KafkaConsumer<String, byte[]> consumer, Consumer<String> count) {
    // For read_committed, endOffsets is the last stable offset: nothing below it is still open.
    var end = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(30));
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      boolean done = true;
      for (var entry : end.entrySet()) {
        if (consumer.position(entry.getKey()) < entry.getValue()) {
          done = false;
          break;
        }
      }
      if (done) {
        return;
      }
      poll(consumer, count);
    }
    throw new IllegalStateException("Could not read to the end offsets " + end + " in 2 minutes");
  }

  private static void poll(KafkaConsumer<String, byte[]> consumer, Consumer<String> count) {
    for (var record : consumer.poll(Duration.ofMillis(200))) {
      var id = record.headers().lastHeader(EventHeaders.ID);
      if (id != null) {
        count.accept(new String(id.value(), StandardCharsets.UTF_8));
      }
    }
  }

  private List<TopicPartition> partitions(
      KafkaConsumer<String, byte[]> consumer, Collection<String> topics) {
    var partitions = new ArrayList<TopicPartition>();
    for (String topic : topics) {
      consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition()))
          .forEach(partitions::add);
    }
    return partitions;
  }

  private KafkaConsumer<String, byte[]> consumer(String isolation) {
    var properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "faults-audit-" + UUID.randomUUID());
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    return new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
  }

  static String millis(Duration duration) {
    return String.format("%.1f s", duration.toMillis() / 1000.0);
  }
}
