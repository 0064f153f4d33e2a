package io.paybridge.platform.operations.deadletters;

import io.paybridge.platform.events.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * The dead letters of one consumer group: the records on its dead-letter topics ({@code
 * <topic>.<group>.dlt}, written by platform/outbox's {@code ConsumerErrorHandler}), read straight
 * from Kafka (no consumer group, nothing committed) and sent back to their original topic on a
 * replay.
 *
 * <p>A replayed record is the dead letter as it was read the first time: same key, value and
 * headers (the event id among them), without the {@code kafka_dlt-*} headers, plus {@value
 * #REPLAY_FOR} naming the group. Every consumer applies events through platform/outbox's {@code
 * IdempotentConsumer}, so the replay is applied at most once by the group, however often it is
 * replayed and even if the original was applied since; the other groups reading the topic discard
 * it unread ({@link ReplayFilter}).
 */
public final class DeadLetters {

  /** Header of a replayed record: the consumer group the replay is meant for. */
  public static final String REPLAY_FOR = "replayFor";

  /** Header of a replayed record: the dead letter it came from. */
  public static final String REPLAYED_FROM = "replayedFrom";

  private static final String DLT_PREFIX = "kafka_dlt-";
  private static final String DLT_STACKTRACE = "kafka_dlt-exception-stacktrace";
  private static final int MAX_ERROR = 2000;

  private final Map<String, Object> consumerConfig;
  private final Map<String, Object> producerConfig;
  private final String group;
  private final Duration timeout;
  private final ObjectMapper mapper;

  /**
   * @param consumerConfig how to reach Kafka (bootstrap servers, security); group and offset
   *     settings are ignored
   * @param producerConfig the same for sending replays
   * @param group the consumer group whose dead letters these are
   * @param timeout the longest a read or a replay waits for Kafka
   */
  public DeadLetters(
      Map<String, Object> consumerConfig,
      Map<String, Object> producerConfig,
      String group,
      Duration timeout,
      ObjectMapper mapper) {
    this.consumerConfig = new HashMap<>(consumerConfig);
    this.consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumerConfig.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    this.consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A dead letter whose producer aborted was never dead-lettered.
    this.consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    this.consumerConfig.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    this.consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-dead-letters");
    this.producerConfig = new HashMap<>(producerConfig);
    this.producerConfig.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    this.producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    this.producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    this.producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, group + "-dead-letter-replays");
    // Kafka asks delivery.timeout.ms >= request.timeout.ms + linger.ms.
    int delivery = (int) Math.max(timeout.toMillis(), 2000);
    this.producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
    this.producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, delivery / 2);
    this.producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    this.producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    this.group = group;
    this.timeout = timeout;
    this.mapper = mapper;
  }

  /** The consumer group whose dead letters these are. */
  public String group() {
    return group;
  }

  /** Whether {@code topic} is one of this group's dead-letter topics. */
  public boolean isDeadLetterTopic(String topic) {
    return topic.endsWith("." + group + ".dlt");
  }

  /**
   * The newest {@code limit} dead letters (of the dead-letter topic or original topic {@code topic}
   * if given), newest first, without payload and headers.
   */
  public List<DeadLetter> list(String topic, int limit) {
    try (var consumer = consumer()) {
      var partitions = partitions(consumer, topic);
      if (partitions.isEmpty()) {
        return List.of();
      }
      var ends = consumer.endOffsets(partitions, timeout);
      var begins = consumer.beginningOffsets(partitions, timeout);
      var starts = new HashMap<TopicPartition, Long>();
      // No partition can give more than the newest `limit` of the answer.
      partitions.forEach(p -> starts.put(p, Math.max(begins.get(p), ends.get(p) - limit)));
      var letters = read(consumer, starts, ends, letter -> true);
      return letters.stream()
          .sorted(Comparator.comparing(DeadLetter::at).reversed())
          .limit(limit)
          .map(DeadLetter::summary)
          .toList();
    } catch (KafkaException e) {
      throw new DeadLettersUnavailableException("Kafka could not be read: " + e, e);
    }
  }

  /**
   * The dead letters whose event id or key is one of {@code ids}, among the newest {@code
   * newestPerPartition} of each dead-letter partition, oldest first, without payload and headers
   * (for the operators' event timeline).
   */
  public List<DeadLetter> about(java.util.Set<String> ids, int newestPerPartition) {
    try (var consumer = consumer()) {
      var partitions = partitions(consumer, null);
      if (partitions.isEmpty() || ids.isEmpty()) {
        return List.of();
      }
      var ends = consumer.endOffsets(partitions, timeout);
      var begins = consumer.beginningOffsets(partitions, timeout);
      var starts = new HashMap<TopicPartition, Long>();
      partitions.forEach(
          p -> starts.put(p, Math.max(begins.get(p), ends.get(p) - newestPerPartition)));
      return read(
              consumer,
              starts,
              ends,
              letter -> ids.contains(letter.eventId()) || ids.contains(letter.key()))
          .stream()
          .sorted(Comparator.comparing(DeadLetter::at))
          .map(DeadLetter::summary)
          .toList();
    } catch (KafkaException e) {
      throw new DeadLettersUnavailableException("Kafka could not be read: " + e, e);
    }
  }

  /**
   * One dead letter with its payload (JSON as JSON, anything else as a string) and headers; empty
   * when there is none at that place.
   */
  public Optional<DeadLetter> find(DeadLetterId id) {
    return read(id).map(letter -> letter.withPayload(payloadView(letter)));
  }

  /** One dead letter as read, its payload a {@link RawValue}. */
  Optional<DeadLetter> read(DeadLetterId id) {
    if (!isDeadLetterTopic(id.topic())) {
      return Optional.empty();
    }
    try (var consumer = consumer()) {
      var partition = new TopicPartition(id.topic(), id.partition());
      if (!partitions(consumer, id.topic()).contains(partition)) {
        return Optional.empty();
      }
      long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
      long begin = consumer.beginningOffsets(List.of(partition), timeout).get(partition);
      if (id.offset() < begin || id.offset() >= end) {
        return Optional.empty();
      }
      return read(
              consumer,
              Map.of(partition, id.offset()),
              Map.of(partition, Math.min(end, id.offset() + 1)),
              letter -> letter.offset() == id.offset())
          .stream()
          .findFirst();
    } catch (KafkaException e) {
      throw new DeadLettersUnavailableException("Kafka could not be read: " + e, e);
    }
  }

  /**
   * Every dead letter {@code filter} takes (at most {@code max}), oldest first, as read (payloads
   * as {@link RawValue}s).
   */
  List<DeadLetter> matching(DeadLetterFilter filter, int max) {
    try (var consumer = consumer()) {
      var partitions = partitions(consumer, filter.topic());
      if (partitions.isEmpty()) {
        return List.of();
      }
      var ends = consumer.endOffsets(partitions, timeout);
      var starts =
          new HashMap<TopicPartition, Long>(consumer.beginningOffsets(partitions, timeout));
      if (filter.from() != null) {
        // Dead letters are stamped when they are dead-lettered: skip what came before `from`.
        var query = new HashMap<TopicPartition, Long>();
        partitions.forEach(p -> query.put(p, filter.from().toEpochMilli()));
        consumer
            .offsetsForTimes(query, timeout)
            .forEach(
                (partition, found) ->
                    starts.put(partition, found == null ? ends.get(partition) : found.offset()));
      }
      return read(consumer, starts, ends, filter::matches).stream()
          .sorted(Comparator.comparing(DeadLetter::at))
          .limit(max)
          .toList();
    } catch (KafkaException e) {
      throw new DeadLettersUnavailableException("Kafka could not be read: " + e, e);
    }
  }

  /**
   * Sends each dead letter back to its original topic (see the class comment) and waits until Kafka
   * has them all.
   *
   * @return how many were sent
   * @throws DeadLettersUnavailableException when Kafka did not take them all in time (some may have
   *     been sent: sending them again is safe)
   */
  int replay(List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return 0;
    }
    try (var producer = new KafkaProducer<String, String>(producerConfig)) {
      var sends = new ArrayList<Future<RecordMetadata>>(letters.size());
      for (DeadLetter letter : letters) {
        sends.add(producer.send(replayOf(letter)));
      }
      producer.flush();
      long deadline = System.nanoTime() + timeout.toNanos();
      for (var send : sends) {
        send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      return sends.size();
    } catch (ExecutionException | java.util.concurrent.TimeoutException | KafkaException e) {
      throw new DeadLettersUnavailableException("Kafka did not take the replay: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeadLettersUnavailableException("Interrupted while replaying", e);
    }
  }

  private ProducerRecord<String, String> replayOf(DeadLetter letter) {
    var headers = new RecordHeaders();
    letter
        .headers()
        .forEach(
            (name, value) -> {
              if (!name.startsWith(DLT_PREFIX)
                  && !name.equals(REPLAY_FOR)
                  && !name.equals(REPLAYED_FROM)) {
                headers.add(name, value.getBytes(StandardCharsets.UTF_8));
              }
            });
    headers.add(REPLAY_FOR, group.getBytes(StandardCharsets.UTF_8));
    headers.add(REPLAYED_FROM, letter.id().getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(
        letter.originalTopic(), null, letter.key(), rawValue(letter), headers);
  }

  private String rawValue(DeadLetter letter) {
    return letter.payload() instanceof RawValue raw ? raw.value() : null;
  }

  private KafkaConsumer<String, String> consumer() {
    return new KafkaConsumer<>(consumerConfig);
  }

  /** The partitions of this group's dead-letter topics, of {@code topic} only if given. */
  private List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic) {
    var partitions = new ArrayList<TopicPartition>();
    consumer
        .listTopics(timeout)
        .forEach(
            (name, infos) -> {
              if (isDeadLetterTopic(name)
                  && (topic == null
                      || topic.equals(name)
                      || name.equals(topic + "." + group + ".dlt"))) {
                infos.forEach(info -> partitions.add(new TopicPartition(name, info.partition())));
              }
            });
    return partitions;
  }

  /** Reads each partition from its start to its end offset; keeps what {@code keep} takes. */
  private List<DeadLetter> read(
      KafkaConsumer<String, String> consumer,
      Map<TopicPartition, Long> starts,
      Map<TopicPartition, Long> ends,
      Predicate<DeadLetter> keep) {
    var remaining = new ArrayList<TopicPartition>();
    starts.forEach(
        (partition, start) -> {
          if (start < ends.get(partition)) {
            remaining.add(partition);
          }
        });
    var letters = new ArrayList<DeadLetter>();
    if (remaining.isEmpty()) {
      return letters;
    }
    consumer.assign(remaining);
    remaining.forEach(p -> consumer.seek(p, starts.get(p)));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!remaining.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new DeadLettersUnavailableException(
            "Dead-letter topics not read to their end within " + timeout, null);
      }
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
        var partition = new TopicPartition(record.topic(), record.partition());
        if (record.offset() < ends.get(partition)) {
          var letter = letterOf(record);
          if (keep.test(letter)) {
            letters.add(letter);
          }
        }
      }
      // Read to a known end: the end offsets taken before reading (transaction markers and
      // aborted records count towards the position, so position() is the measure, not records).
      remaining.removeIf(p -> consumer.position(p, timeout) >= ends.get(p));
      consumer.assign(remaining);
    }
    return letters;
  }

  private DeadLetter letterOf(ConsumerRecord<String, String> record) {
    var headers = new LinkedHashMap<String, String>();
    for (Header header : record.headers()) {
      if (!header.key().equals(DLT_STACKTRACE) && header.value() != null) {
        headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
      }
    }
    String originalTopic = headers.get(EventHeaders.DLT_ORIGINAL_TOPIC);
    if (originalTopic == null) {
      originalTopic = record.topic().substring(0, record.topic().length() - (group.length() + 5));
    }
    String error = headers.get(EventHeaders.DLT_EXCEPTION_MESSAGE);
    if (error != null && error.length() > MAX_ERROR) {
      error = error.substring(0, MAX_ERROR) + "…";
    }
    return new DeadLetter(
        new DeadLetterId(record.topic(), record.partition(), record.offset()).toString(),
        record.topic(),
        originalTopic,
        record.partition(),
        record.offset(),
        record.key(),
        headers.get(EventHeaders.ID),
        headers.get(EventHeaders.EVENT_TYPE),
        error,
        Instant.ofEpochMilli(record.timestamp()),
        new RawValue(record.value()),
        headers);
  }

  /**
   * A payload as read: sent back byte for byte on a replay, shown to operators as JSON when it is
   * JSON.
   */
  record RawValue(String value) {}

  /** The payload as operators see it: JSON as JSON, anything else as the string it is. */
  private Object payloadView(DeadLetter letter) {
    if (!(letter.payload() instanceof RawValue raw) || raw.value() == null) {
      return null;
    }
    try {
      return mapper.readTree(raw.value());
    } catch (JacksonException e) {
      return raw.value();
    }
  }
}
