package io.paybridge.platform.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;

/**
 * The relay's position on Kafka: one compacted, single-partition topic per service ({@link
 * OutboxProperties#offsetsTopic()}), keyed by the service name, holding one record per relayed
 * batch, written in that batch's transaction. The last committed record is where the relay resumes;
 * records of aborted transactions are invisible to the {@code read_committed} reader.
 *
 * <p>A record's value is JSON: {@code {"service", "slot", "batch", "partition": {…}, "offset": {…},
 * "committedAt"}}, with Debezium's source partition and offset maps as the engine wrote them.
 */
final class PositionTopic {

  /** The one partition every position record goes to, so that the last one is the position. */
  static final int PARTITION = 0;

  /** How many records before the end the reader looks first; it widens when that is not enough. */
  private static final int TAIL = 64;

  private final String topic;
  private final String service;
  private final String slot;
  private final Map<String, Object> clientConfig;
  private final Duration timeout;
  private final JsonConverter json = new JsonConverter();

  PositionTopic(OutboxProperties properties, Map<String, Object> kafkaConfig) {
    this.topic = properties.offsetsTopic();
    this.service = properties.serviceName();
    this.slot = properties.slotName();
    this.clientConfig = connectionSettings(kafkaConfig);
    this.timeout = properties.sendTimeout();
    json.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), false);
  }

  String topic() {
    return topic;
  }

  /**
   * Creates the topic, compacted and with one partition, unless it exists. Auto-creation by the
   * producer would make it neither.
   */
  void ensureExists() throws InterruptedException, TimeoutException {
    var config = new HashMap<>(clientConfig);
    config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    Admin admin = Admin.create(config);
    try {
      var created =
          new NewTopic(topic, Optional.of(1), Optional.empty())
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      try {
        admin.createTopics(List.of(created)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new org.apache.kafka.common.KafkaException(
              "Could not create the relay's position topic " + topic + ": " + e.getCause(),
              e.getCause());
        }
      }
    } finally {
      admin.close(Duration.ZERO); // nothing left to wait for; a default close waits for a broker
    }
  }

  /**
   * Whether the cluster answers that {@code name} does not exist (a record's topic, when the
   * producer timed out waiting for its metadata): {@code false} when it exists or the cluster does
   * not answer, which leaves the send a transient failure.
   */
  boolean topicMissing(String name) {
    var config = new HashMap<>(clientConfig);
    config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    Admin admin = Admin.create(config);
    try {
      admin
          .describeTopics(List.of(name))
          .allTopicNames()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return false;
    } catch (ExecutionException e) {
      return e.getCause() instanceof UnknownTopicOrPartitionException;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (TimeoutException e) {
      return false;
    } finally {
      admin.close(Duration.ZERO);
    }
  }

  /**
   * Resets the position: a tombstone for the service, after which the relay starts from its slot's
   * confirmed position, as on a first start. For an operator's acknowledgement of a lost or
   * replaced slot ({@link SlotRecovery}) only: written outside the relay's transactions, it is
   * visible to the relay's {@code read_committed} reader at once, since a leader that refuses to
   * stream has no transaction open.
   */
  void reset() throws InterruptedException, ExecutionException, TimeoutException {
    var config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    config.put(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis() - 10, 10_000));
    try (var producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer
          .send(new ProducerRecord<String, String>(topic, PARTITION, service, null))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The record that commits {@code position} in the transaction of its batch. */
  ProducerRecord<String, String> record(RelayPosition position) {
    var value = new LinkedHashMap<String, Object>();
    value.put("service", service);
    value.put("slot", slot);
    value.put("batch", position.batch());
    value.put("partition", position.partition());
    value.put("offset", position.offset());
    value.put("committedAt", Instant.now().toString());
    return new ProducerRecord<>(topic, PARTITION, service, toJson(value));
  }

  /**
   * The last position committed for this service, read with {@code isolation.level=read_committed}
   * up to the partition's last stable offset, or empty when there is none (or a tombstone resets
   * it). Call it after the relay's producer has initialised its transactions, which aborts a
   * previous leader's open transaction, so that nothing can commit behind the reader's back.
   */
  Optional<RelayPosition> readLast() {
    var config = new HashMap<>(clientConfig);
    // Only committed batches count: an aborted or still-open transaction is no position.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    try (var consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      var partition = new TopicPartition(topic, PARTITION);
      consumer.assign(Set.of(partition));
      long end = consumer.endOffsets(Set.of(partition), timeout).get(partition);
      long begin = consumer.beginningOffsets(Set.of(partition), timeout).get(partition);
      // Read the tail; if it holds no record of ours (aborted batches, control markers), widen.
      long from = Math.max(begin, end - TAIL);
      long to = end;
      while (to > begin) {
        String last = null;
        boolean found = false;
        consumer.seek(partition, from);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(partition, timeout) < to) {
          if (System.nanoTime() > deadline) {
            throw new org.apache.kafka.common.errors.TimeoutException(
                "Could not read " + topic + " up to offset " + to + " within " + timeout);
          }
          for (var record : consumer.poll(Duration.ofMillis(200)).records(partition)) {
            if (record.offset() < to && service.equals(record.key())) {
              last = record.value();
              found = true;
            }
          }
        }
        if (found) {
          return last == null ? Optional.empty() : Optional.of(parse(last));
        }
        to = from;
        from = Math.max(begin, from - (end - from) * 4);
      }
      return Optional.empty();
    }
  }

  RelayPosition parse(String text) {
    var value =
        (Map<?, ?>)
            json.toConnectData(topic, text.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .value();
    return new RelayPosition(
        (String) value.get("batch"),
        stringKeys(value.get("partition")),
        stringKeys(value.get("offset")));
  }

  String toJson(Object value) {
    return new String(
        json.fromConnectData(topic, null, value), java.nio.charset.StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  static Map<String, ?> stringKeys(Object map) {
    return (Map<String, ?>) map;
  }

  /** The settings that locate and authenticate a Kafka client, taken from the producer's. */
  static Map<String, Object> connectionSettings(Map<String, Object> kafkaConfig) {
    var settings = new HashMap<String, Object>();
    kafkaConfig.forEach(
        (key, value) -> {
          if (key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
              || key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
              || key.equals(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG)
              || key.startsWith("sasl.")
              || key.startsWith("ssl.")) {
            settings.put(key, value);
          }
        });
    return settings;
  }
}
