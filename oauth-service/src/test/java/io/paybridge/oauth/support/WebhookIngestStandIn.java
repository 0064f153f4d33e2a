package io.paybridge.oauth.support;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.simulator.GoCardlessSimulator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Does what webhook-ingest-service does with the simulator's webhooks: one record per event on the
 * topic of its resource type, key = resource id, headers {@code id} (a synthetic one for {@code
 * organisations.disconnected}, which GoCardless sends with {@code "id": null}), {@code eventType},
 * {@code organisationId}, value = the event JSON as sent.
 */
public final class WebhookIngestStandIn implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final KafkaProducer<String, String> producer =
      new KafkaProducer<>(
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
              EmbeddedKafkaServer.shared().bootstrapServers()),
          new StringSerializer(),
          new StringSerializer());

  /** Waits until the simulator has sent (tried to send) an event that matches, and returns it. */
  public static JsonNode awaitEvent(GoCardlessSimulator simulator, Predicate<JsonNode> match) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> find(simulator, match), Optional::isPresent)
        .orElseThrow();
  }

  private static Optional<JsonNode> find(GoCardlessSimulator simulator, Predicate<JsonNode> match) {
    return simulator.webhookDeliveries().stream()
        .flatMap(d -> JSON.readTree(d.body()).get("events").valueStream())
        .filter(match)
        .findFirst();
  }

  /** Publishes one event as webhook-ingest would; returns the event id used. */
  public String publish(JsonNode event) {
    String json = JSON.writeValueAsString(event);
    String resourceType = event.get("resource_type").asString();
    String action = event.get("action").asString();
    JsonNode links = event.get("links");
    String organisation = links.get("organisation").asString();
    String key =
        "organisations".equals(resourceType)
            ? organisation
            : links.get(resourceType.substring(0, resourceType.length() - 1)).asString();
    String id = event.get("id").isNull() ? synthetic(json) : event.get("id").asString();
    var record =
        new ProducerRecord<String, String>(
            Topics.forGoCardlessResourceType(resourceType), key, json);
    record.headers().add(EventHeaders.ID, id.getBytes(StandardCharsets.UTF_8));
    record
        .headers()
        .add(
            EventHeaders.EVENT_TYPE,
            (resourceType + "." + action).getBytes(StandardCharsets.UTF_8));
    record
        .headers()
        .add(EventHeaders.ORGANISATION_ID, organisation.getBytes(StandardCharsets.UTF_8));
    try {
      producer.send(record).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return id;
  }

  private static String synthetic(String json) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      return "synthetic-" + HexFormat.of().formatHex(hash).substring(0, 32);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
