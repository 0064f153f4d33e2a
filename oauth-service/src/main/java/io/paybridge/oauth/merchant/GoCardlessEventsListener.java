package io.paybridge.oauth.merchant;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.events.gocardless.GoCardlessRecords;
import io.paybridge.platform.outbox.IdempotentConsumer;
import io.paybridge.platform.outbox.PoisonMessageException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Transport for the GoCardless events this service cares about (published by
 * webhook-ingest-service, value = the event as GoCardless sent it). It dispatches on the record's
 * {@code eventType} header and reads the body only of the events it applies. Each event is applied
 * once: {@link IdempotentConsumer} records its id in the same transaction as the merchant's change
 * and the outbox row.
 */
@Component
class GoCardlessEventsListener {

  static final String CONSUMER = "oauth-service";

  private static final Logger log = LoggerFactory.getLogger(GoCardlessEventsListener.class);

  private final IdempotentConsumer idempotent;
  private final MerchantService merchants;
  private final ObjectMapper mapper;

  GoCardlessEventsListener(
      IdempotentConsumer idempotent, MerchantService merchants, ObjectMapper mapper) {
    this.idempotent = idempotent;
    this.merchants = merchants;
    this.mapper = mapper;
  }

  @KafkaListener(topics = {Topics.GOCARDLESS_ORGANISATIONS, Topics.GOCARDLESS_CREDITORS})
  void on(ConsumerRecord<String, String> record) {
    String eventId = IdempotentConsumer.eventId(record);
    String eventType = header(record, EventHeaders.EVENT_TYPE);
    if (eventType == null) {
      // Every record the relay or the runbook's replays produce has the header
      // (docs/asyncapi.yaml);
      // one written by hand without it is read by the contract's rule rather than dead-lettered,
      // since a disconnect it may carry must still end the connection.
      eventType = eventTypeOfBody(parse(record, eventId));
      log.warn("Event {} has no eventType header: {} by its body", eventId, eventType);
    }
    switch (eventType) {
      case GoCardlessRecords.ORGANISATIONS_DISCONNECTED -> {
        JsonNode event = parse(record, eventId);
        var applied = applied(record, event, eventId, eventType);
        idempotent.apply(
            CONSUMER, record, eventId, () -> merchants.organisationDisconnected(applied));
      }
      case GoCardlessRecords.CREDITORS_UPDATED -> {
        JsonNode event = parse(record, eventId);
        // Of a creditor's changes (payout currency, logo, ...) only its verification status
        // matters here.
        if ("verification_status".equals(text(event.path("details"), "property"))) {
          var applied = applied(record, event, eventId, eventType);
          String creditor = text(event.path("links"), "creditor");
          idempotent.apply(
              CONSUMER,
              record,
              eventId,
              () -> merchants.creditorVerificationChanged(applied, creditor));
        }
      }
      default -> {
        // Every other event of these topics changes nothing here: not even parsed.
      }
    }
  }

  private JsonNode parse(ConsumerRecord<String, String> record, String eventId) {
    JsonNode event;
    try {
      event = record.value() == null ? null : mapper.readTree(record.value());
    } catch (JacksonException e) {
      throw new PoisonMessageException("Event " + eventId + " is not JSON", e);
    }
    if (event == null || !event.isObject()) {
      throw new PoisonMessageException("Event " + eventId + " is not a JSON object");
    }
    return event;
  }

  /**
   * The event type by the contract's rule, or "" (matching nothing) without the fields it needs.
   */
  private static String eventTypeOfBody(JsonNode event) {
    String resourceType = text(event, "resource_type");
    String action = text(event, "action");
    return resourceType == null || action == null
        ? ""
        : GoCardlessRecords.eventType(resourceType, action);
  }

  /** What the handler needs of an event of type {@code eventType} (one of the cases above). */
  private static GoCardlessEvent applied(
      ConsumerRecord<String, String> record, JsonNode event, String eventId, String eventType) {
    String organisationId = text(event.path("links"), "organisation");
    if (organisationId == null) {
      organisationId = header(record, EventHeaders.ORGANISATION_ID);
    }
    if (organisationId == null) {
      throw new PoisonMessageException("Event " + eventId + " names no organisation");
    }
    int dot = eventType.indexOf('.');
    return new GoCardlessEvent(
        eventId,
        eventType.substring(0, dot),
        eventType.substring(dot + 1),
        organisationId,
        createdAt(event, eventId));
  }

  /**
   * GoCardless's time of the event (docs/gocardless/API.md §5.2, ISO 8601 with an offset). Every
   * GoCardless event has one; one without a readable time is applied as current (null), never
   * dead-lettered for it: what it says (a revoked app) is still true, and refusing it would leave a
   * revoked connection looking connected.
   */
  static Instant createdAt(JsonNode event, String eventId) {
    String value = text(event, "created_at");
    if (value != null) {
      try {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(value, Instant::from);
      } catch (DateTimeException e) {
        // logged below
      }
    }
    log.warn("Event {} has no readable created_at ({}): applied as current", eventId, value);
    return null;
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }
}
