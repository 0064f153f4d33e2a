package io.paybridge.oauth.support;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.gocardless.GoCardlessEventFields;
import io.paybridge.platform.events.gocardless.GoCardlessRecord;
import io.paybridge.platform.events.gocardless.GoCardlessRecords;
import io.paybridge.platform.testsupport.EmbeddedKafkaServer;
import io.paybridge.simulator.GoCardlessSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
 * Does what webhook-ingest-service does with the simulator's webhooks, by the contract's rules
 * ({@link GoCardlessRecords}): one record per event on the topic of its resource type, key =
 * resource id, headers {@code id} (the synthetic one ingest derives for {@code
 * organisations.disconnected}, which GoCardless sends with {@code "id": null}), {@code eventType},
 * {@code organisationId}; value = the event JSON (re-serialised: the stand-in has no signed body to
 * slice it from).
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

  /**
   * Publishes one event as webhook-ingest would, by the same rules ({@link GoCardlessRecords}:
   * topic, key, id — synthetic for {@code "id": null} — and event type); returns the event id.
   */
  public String publish(JsonNode event) {
    return send(event, true);
  }

  private String send(JsonNode event, boolean withEventType) {
    Map<String, String> links = new TreeMap<>();
    event
        .path("links")
        .properties()
        .forEach(
            link -> {
              if (link.getValue().isString()) {
                links.put(link.getKey(), link.getValue().stringValue());
              }
            });
    JsonNode id = event.path("id");
    JsonNode createdAt = event.path("created_at");
    GoCardlessRecord routed =
        GoCardlessRecords.of(
            new GoCardlessEventFields(
                id.isString() ? id.stringValue() : null,
                event.path("resource_type").asString(),
                event.path("action").asString(),
                createdAt.isString() ? createdAt.stringValue() : null,
                links));
    var record =
        new ProducerRecord<String, String>(
            routed.topic(), routed.key(), JSON.writeValueAsString(event));
    header(record, EventHeaders.ID, routed.eventId());
    if (withEventType) {
      header(record, EventHeaders.EVENT_TYPE, routed.eventType());
    }
    header(record, EventHeaders.ORGANISATION_ID, routed.organisationId());
    send(record);
    return routed.eventId();
  }

  /**
   * Publishes one event as webhook-ingest would, but without the {@code eventType} header: a record
   * an operator wrote by hand.
   */
  public String publishWithoutEventType(JsonNode event) {
    return send(event, false);
  }

  /** Publishes a record as given (e.g. a value that is not JSON), for consumers' edge cases. */
  public void publishRaw(String topic, String key, Map<String, String> headers, String value) {
    var record = new ProducerRecord<String, String>(topic, key, value);
    headers.forEach((name, header) -> header(record, name, header));
    send(record);
  }

  private void send(ProducerRecord<String, String> record) {
    try {
      producer.send(record).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void header(ProducerRecord<String, String> record, String name, String value) {
    if (value != null) {
      record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
