package io.paybridge.faults;

import io.paybridge.platform.events.CloudEventHeaders;
import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * GoCardless events as webhook-ingest-service publishes them (topic, key, value, headers), for
 * scenarios that feed consumers directly rather than through the webhook endpoint.
 */
final class IngestRecords {

  static final ObjectMapper JSON = JsonMapper.builder().build();

  private IngestRecords() {}

  /** The record webhook-ingest-service would publish for the event. */
  static ProducerRecord<String, String> record(JsonNode event) {
    String resourceType = event.path("resource_type").asString();
    String action = event.path("action").asString();
    String createdAt = event.path("created_at").asString();
    var links = new TreeMap<String, String>();
    event.path("links").properties().forEach(e -> links.put(e.getKey(), e.getValue().asString()));
    String id =
        event.path("id").isNull() || event.path("id").isMissingNode()
            ? syntheticId(resourceType, action, createdAt, links)
            : event.path("id").asString();
    String singular =
        resourceType.endsWith("s")
            ? resourceType.substring(0, resourceType.length() - 1)
            : resourceType;
    String key = links.getOrDefault(singular, links.getOrDefault("organisation", id));
    var record =
        new ProducerRecord<String, String>(
            Topics.forGoCardlessResourceType(resourceType), key, JSON.writeValueAsString(event));
    String type = resourceType + "." + action;
    record.headers().add(EventHeaders.ID, bytes(id));
    record.headers().add(EventHeaders.EVENT_TYPE, bytes(type));
    if (links.containsKey("organisation")) {
      record.headers().add(EventHeaders.ORGANISATION_ID, bytes(links.get("organisation")));
    }
    record.headers().add(EventHeaders.CREATED_AT, bytes(createdAt));
    CloudEventHeaders.of(id, type, "/paybridge/webhook-ingest-service", Instant.parse(createdAt))
        .forEach((name, value) -> record.headers().add(name, bytes(value)));
    return record;
  }

  /**
   * As webhook-ingest-service derives an id for an event GoCardless sent with {@code "id": null}.
   */
  private static String syntheticId(
      String resourceType, String action, String createdAt, TreeMap<String, String> links) {
    var identity = new StringBuilder();
    identity.append(resourceType).append('\n').append(action).append('\n').append(createdAt);
    links.forEach((key, value) -> identity.append('\n').append(key).append('=').append(value));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(identity.toString().getBytes(StandardCharsets.UTF_8));
      return "synthetic-" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static KafkaProducer<String, String> producer(String bootstrapServers) {
    var properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
