package io.paybridge.platform.testsupport;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.OutboxEvent;
import io.paybridge.platform.events.gocardless.GoCardlessEventFields;
import io.paybridge.platform.events.gocardless.GoCardlessRecord;
import io.paybridge.platform.events.gocardless.GoCardlessRecords;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes GoCardless events to the {@code gocardless.*} topics of the JVM's embedded broker as
 * webhook-ingest-service does, by the contract's rules ({@link GoCardlessRecords}: topic, key,
 * {@code id}, {@code eventType}, {@code organisationId}); value = the event's JSON. Also publishes
 * other platform facts (a {@code merchants.connection} record, for example) with their headers.
 */
public final class GoCardlessEventsStandIn implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final KafkaProducer<String, String> producer =
      new KafkaProducer<>(
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
              EmbeddedKafkaServer.shared().bootstrapServers(),
              ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
              "true"),
          new StringSerializer(),
          new StringSerializer());

  /** Publishes one event (acknowledged before this returns); returns its event id. */
  public String publish(JsonNode event) {
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
    send(
        routed.topic(),
        routed.key(),
        JSON.writeValueAsString(event),
        Map.of(
            EventHeaders.ID, routed.eventId(),
            EventHeaders.EVENT_TYPE, routed.eventType(),
            EventHeaders.ORGANISATION_ID,
                routed.organisationId() == null ? "" : routed.organisationId()));
    return routed.eventId();
  }

  /**
   * Publishes an outbox event as the relay would (acknowledged before this returns): its topic, key
   * and value, and its columns as the headers of {@link EventHeaders#OUTBOX_COLUMN_HEADERS} (but
   * {@code createdAt}, which the relay takes from the outbox row).
   */
  public void send(OutboxEvent event) {
    var headers = new HashMap<String, String>();
    headers.put(EventHeaders.ID, event.id());
    headers.put(EventHeaders.EVENT_TYPE, event.type());
    headers.put(EventHeaders.TENANT, event.tenant());
    headers.put(EventHeaders.ORGANISATION_ID, event.organisationId());
    headers.put(EventHeaders.TRACEPARENT, event.traceparent());
    send(event.topic(), event.key(), event.payload(), headers);
  }

  /** Publishes a record with the given headers (acknowledged before this returns). */
  public void send(String topic, String key, String value, Map<String, String> headers) {
    var record = new ProducerRecord<String, String>(topic, key, value);
    headers.forEach(
        (name, v) -> {
          if (v != null && !v.isEmpty()) {
            record.headers().add(name, v.getBytes(StandardCharsets.UTF_8));
          }
        });
    try {
      producer.send(record).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka refused the record", e.getCause());
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
