package io.paybridge.billing.events;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.outbox.IdempotentConsumer;
import io.paybridge.platform.outbox.PoisonMessageException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Transport for the GoCardless events of billing requests, mandates and payments (published by
 * webhook-ingest-service, value = the event as GoCardless sent it). Each is applied once: {@link
 * IdempotentConsumer} records its id in the transaction of the projection's change and the facts. A
 * poll's records are applied in one transaction ({@link IdempotentConsumer#applyBatch}); when that
 * fails they are applied one by one, so that a failing record is retried or dead-lettered alone.
 * Failures are classified by platform/outbox's error handler: GoCardless unavailable while fetching
 * is transient (retried until it passes), an unreadable event is poison (dead-lettered).
 */
@Component
class GoCardlessEventsListener {

  static final String CONSUMER = "billing-service";

  private final IdempotentConsumer idempotent;
  private final ProjectionHandler handler;
  private final ObjectMapper mapper;

  GoCardlessEventsListener(
      IdempotentConsumer idempotent, ProjectionHandler handler, ObjectMapper mapper) {
    this.idempotent = idempotent;
    this.handler = handler;
    this.mapper = mapper;
  }

  @KafkaListener(
      topics = {
        Topics.GOCARDLESS_BILLING_REQUESTS,
        Topics.GOCARDLESS_MANDATES,
        Topics.GOCARDLESS_PAYMENTS,
        Topics.GOCARDLESS_REFUNDS,
        Topics.GOCARDLESS_SUBSCRIPTIONS,
        Topics.GOCARDLESS_INSTALMENT_SCHEDULES
      },
      batch = "true")
  void on(List<ConsumerRecord<String, String>> records) {
    idempotent.applyBatch(CONSUMER, records, this::read, handler::applyAll);
  }

  private ProjectionHandler.Delivered read(ConsumerRecord<String, String> record, String eventId) {
    GoCardlessEvent event = parse(record.value(), eventId);
    String organisation = event.link("organisation");
    if (organisation == null) {
      var header = record.headers().lastHeader(EventHeaders.ORGANISATION_ID);
      organisation = header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
    return new ProjectionHandler.Delivered(event, organisation);
  }

  private GoCardlessEvent parse(String value, String eventId) {
    JsonNode node;
    try {
      node = value == null ? null : mapper.readTree(value);
    } catch (JacksonException e) {
      throw new PoisonMessageException("Event " + eventId + " is not JSON", e);
    }
    if (node == null || !node.isObject()) {
      throw new PoisonMessageException("Event " + eventId + " is not a JSON object");
    }
    String resourceType = text(node, "resource_type");
    String action = text(node, "action");
    String createdAt = text(node, "created_at");
    if (resourceType == null || action == null || createdAt == null) {
      throw new PoisonMessageException(
          "Event " + eventId + " lacks resource_type, action or created_at");
    }
    OffsetDateTime time;
    try {
      time = OffsetDateTime.parse(createdAt);
    } catch (DateTimeException e) {
      throw new PoisonMessageException("Event " + eventId + " has an unreadable created_at", e);
    }
    var details = node.path("details");
    Boolean willAttemptRetry =
        details.path("will_attempt_retry").isBoolean()
            ? details.path("will_attempt_retry").asBoolean()
            : null;
    return new GoCardlessEvent(
        eventId,
        resourceType,
        action,
        time.toInstant(),
        strings(node.path("links")),
        strings(details),
        willAttemptRetry);
  }

  /** The string members of an object; others (numbers, booleans) as their text. */
  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> values = new HashMap<>();
    if (object != null && object.isObject()) {
      for (var entry : object.properties()) {
        if (entry.getValue().isValueNode() && !entry.getValue().isNull()) {
          values.put(entry.getKey(), entry.getValue().asString());
        }
      }
    }
    return values;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }
}
