package io.paybridge.platform.outbox;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Events sent straight to the shared broker, as another service's relay would publish them. */
final class TestEvents {

  private TestEvents() {}

  /**
   * Sends one event, its id in the {@code id} header (and {@code traceparent} when not null), to
   * {@code partition} or, when that is null, by key; returns once the broker has it.
   */
  static void send(
      String topic, Integer partition, String eventId, String key, String value, String traceparent)
      throws Exception {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedKafkaServer.shared().bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      var record = new ProducerRecord<>(topic, partition, key, value);
      record.headers().add(EventHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
      if (traceparent != null) {
        record
            .headers()
            .add(EventHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
      }
      producer.send(record).get(10, TimeUnit.SECONDS);
    }
  }
}
