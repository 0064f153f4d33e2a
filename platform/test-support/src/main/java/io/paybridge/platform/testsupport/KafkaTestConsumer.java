package io.paybridge.platform.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.paybridge.platform.events.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/**
 * Reads what was published to some topics after it was created, for assertions on keys, headers and
 * values; {@code read_committed} unless created by a {@code …ReadUncommitted} factory. Not
 * thread-safe: one per test.
 */
public final class KafkaTestConsumer implements AutoCloseable {

  private final KafkaConsumer<String, String> consumer;
  private final List<Received> received = new ArrayList<>();

  private KafkaTestConsumer(String bootstrapServers, Collection<String> topics) {
    this(bootstrapServers, topics, true, false);
  }

  private KafkaTestConsumer(
      String bootstrapServers,
      Collection<String> topics,
      boolean committed,
      boolean fromBeginning) {
    var properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, committed ? "read_committed" : "read_uncommitted");
    consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
    var partitions = new ArrayList<TopicPartition>();
    for (String topic : topics) {
      // A topic created a moment ago may not be in the metadata yet: wait for its partitions.
      Awaitility.await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !consumer.partitionsFor(topic).isEmpty());
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    if (fromBeginning) {
      consumer.seekToBeginning(partitions);
    } else {
      consumer.seekToEnd(partitions);
    }
    partitions.forEach(
        consumer::position); // resolve the end offsets now, before anything is produced
  }

  /**
   * A consumer of {@code topics} on the JVM's embedded broker that sees only what is published from
   * now on. Topics that do not exist yet are created.
   */
  public static KafkaTestConsumer fromNow(String... topics) {
    var kafka = EmbeddedKafkaServer.shared();
    kafka.createTopics(topics);
    return new KafkaTestConsumer(kafka.bootstrapServers(), List.of(topics));
  }

  /** A consumer of {@code topics}, which must exist, on the broker at {@code bootstrapServers}. */
  public static KafkaTestConsumer onBroker(String bootstrapServers, String... topics) {
    return new KafkaTestConsumer(bootstrapServers, List.of(topics));
  }

  /**
   * Like {@link #fromNow}, but reading with {@code isolation.level=read_uncommitted}: it also sees
   * records of aborted and still-open transactions.
   */
  public static KafkaTestConsumer fromNowReadUncommitted(String... topics) {
    var kafka = EmbeddedKafkaServer.shared();
    kafka.createTopics(topics);
    return new KafkaTestConsumer(kafka.bootstrapServers(), List.of(topics), false, false);
  }

  /** {@link #onBroker} reading with {@code isolation.level=read_uncommitted}. */
  public static KafkaTestConsumer onBrokerReadUncommitted(
      String bootstrapServers, String... topics) {
    return new KafkaTestConsumer(bootstrapServers, List.of(topics), false, false);
  }

  /**
   * A {@code read_committed} consumer of {@code topics}, which must exist, on the broker at {@code
   * bootstrapServers}, reading from the beginning of each partition: for a broker of the test's
   * own.
   */
  public static KafkaTestConsumer onBrokerFromBeginning(String bootstrapServers, String... topics) {
    return new KafkaTestConsumer(bootstrapServers, List.of(topics), true, true);
  }

  /**
   * Reads up to the end of every assigned partition as it is now (the last stable offset for {@code
   * read_committed}, the high watermark for {@code read_uncommitted}), then returns every matching
   * record received so far. A known end rather than a quiet period: for "exactly these records, and
   * no more" assertions, call it after something proves the producer is done (for example after a
   * marker record written last has arrived).
   */
  public List<Received> readToEnd(Predicate<Received> match, Duration timeout) {
    var ends = consumer.endOffsets(consumer.assignment());
    Awaitility.await()
        .atMost(timeout)
        .pollInterval(Duration.ZERO)
        .pollDelay(Duration.ZERO)
        .until(
            () -> {
              poll(Duration.ofMillis(200));
              return ends.entrySet().stream()
                  .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
            });
    return received.stream().filter(match).toList();
  }

  /**
   * Every matching record the service's relay published before now, read to a known end rather than
   * for a quiet period: writes a marker row to the service's outbox ({@code outbox_event}, topic
   * {@code markerTopic}, key and id {@code marker-<uuid>}, type {@code TestMarker}), waits for its
   * record, then reads every partition to its end. The relay publishes outbox rows in commit order,
   * so everything committed before the marker is on Kafka by then; a duplicate or a late record
   * would be read. {@code markerTopic} must be one of this consumer's topics, and consumers of it
   * must tolerate an unknown event type.
   *
   * @param serviceDatabase the service's database (where its outbox is)
   */
  public List<Received> readPastMarker(
      javax.sql.DataSource serviceDatabase,
      String markerTopic,
      Predicate<Received> match,
      Duration timeout) {
    String marker = "marker-" + java.util.UUID.randomUUID();
    try (var connection = serviceDatabase.getConnection();
        var insert =
            connection.prepareStatement(
                "insert into outbox_event (id, aggregatetype, aggregateid, type, payload)"
                    + " values (?, ?, ?, 'TestMarker', '{}')")) {
      insert.setString(1, marker);
      insert.setString(2, markerTopic);
      insert.setString(3, marker);
      insert.executeUpdate();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("Could not write the marker to the outbox", e);
    }
    await(r -> marker.equals(r.header(EventHeaders.ID)), timeout);
    return readToEnd(match, timeout);
  }

  /** Polls until a record matches, then returns it. */
  public Received await(Predicate<Received> match) {
    return await(match, Duration.ofSeconds(30));
  }

  /** Polls until a record matches or {@code timeout} passes. */
  public Received await(Predicate<Received> match, Duration timeout) {
    return pollUntil(match, matching -> !matching.isEmpty(), timeout).getFirst();
  }

  /** Polls until {@code count} records match, then returns them in arrival order. */
  public List<Received> awaitCount(Predicate<Received> match, int count, Duration timeout) {
    return pollUntil(match, matching -> matching.size() >= count, timeout);
  }

  /**
   * Polls until records with {@code count} distinct event ids ({@code id} header) match, then
   * returns every matching record, duplicates included.
   */
  public List<Received> awaitDistinctIds(Predicate<Received> match, int count, Duration timeout) {
    return pollUntil(
        match,
        matching ->
            matching.stream().map(r -> r.header(EventHeaders.ID)).distinct().count() >= count,
        timeout);
  }

  private List<Received> pollUntil(
      Predicate<Received> match, Predicate<List<Received>> done, Duration timeout) {
    Awaitility.await()
        .atMost(timeout)
        .pollInterval(Duration.ZERO)
        .pollDelay(Duration.ZERO)
        .until(
            () -> {
              poll(Duration.ofMillis(200));
              return done.test(received.stream().filter(match).toList());
            });
    return received.stream().filter(match).toList();
  }

  /**
   * Keeps polling for {@code quietPeriod} and returns every record received so far that matches.
   * Only for "nothing happens while X is stopped": a quiet period proves no "exactly once" (a late
   * duplicate passes unseen); use {@link #readToEnd} or {@link #readPastMarker} for those.
   */
  public List<Received> drain(Predicate<Received> match, Duration quietPeriod) {
    long deadline = System.nanoTime() + quietPeriod.toNanos();
    while (System.nanoTime() < deadline) {
      poll(Duration.ofMillis(200));
    }
    return received.stream().filter(match).toList();
  }

  /** Every record received so far. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  private void poll(Duration timeout) {
    for (ConsumerRecord<String, String> record : consumer.poll(timeout)) {
      received.add(new Received(record));
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }

  /** A record as the test saw it. */
  public static final class Received {
    private final ConsumerRecord<String, String> record;

    Received(ConsumerRecord<String, String> record) {
      this.record = record;
    }

    public String topic() {
      return record.topic();
    }

    public String key() {
      return record.key();
    }

    public String value() {
      return record.value();
    }

    public int partition() {
      return record.partition();
    }

    public long offset() {
      return record.offset();
    }

    public long timestamp() {
      return record.timestamp();
    }

    /** The last value of header {@code name} as UTF-8, or {@code null} when absent. */
    public String header(String name) {
      Header header = record.headers().lastHeader(name);
      return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Every header, last value per name. */
    public Map<String, String> headers() {
      var headers = new java.util.LinkedHashMap<String, String>();
      for (Header h : record.headers()) {
        headers.put(
            h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
      }
      return headers;
    }

    /** Asserts the record's key. */
    public Received hasKey(String expected) {
      assertThat(key()).as("key of record on %s", topic()).isEqualTo(expected);
      return this;
    }

    /** Asserts one header's value. */
    public Received hasHeader(String name, String expected) {
      assertThat(header(name)).as("header %s of record on %s", name, topic()).isEqualTo(expected);
      return this;
    }

    @Override
    public String toString() {
      return topic() + "/" + partition() + " key=" + key() + " headers=" + headers();
    }
  }
}
