package io.paybridge.oauth.merchant;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
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
 * webhook-ingest-service, value = the event as GoCardless sent it). Each event is applied once:
 * {@link IdempotentConsumer} records its id in the same transaction as the merchant's change and
 * the outbox row.
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
    JsonNode event;
    try {
      event = record.value() == null ? null : mapper.readTree(record.value());
    } catch (JacksonException e) {
      throw new PoisonMessageException("Event " + eventId + " is not JSON", e);
    }
    if (event == null || !event.isObject()) {
      throw new PoisonMessageException("Event " + eventId + " is not a JSON object");
    }
    String resourceType = text(event, "resource_type");
    String action = text(event, "action");
    JsonNode links = event.path("links");
    String organisationId = text(links, "organisation");
    if (organisationId == null) {
      organisationId = header(record, EventHeaders.ORGANISATION_ID);
    }
    if ("organisations".equals(resourceType) && "disconnected".equals(action)) {
      requireOrganisation(organisationId, eventId);
      var applied =
          new GoCardlessEvent(
              eventId, resourceType, action, organisationId, createdAt(event, eventId));
      idempotent.apply(CONSUMER, eventId, () -> merchants.organisationDisconnected(applied));
    } else if ("creditors".equals(resourceType)
        && "updated".equals(action)
        && "verification_status".equals(text(event.path("details"), "property"))) {
      requireOrganisation(organisationId, eventId);
      var applied =
          new GoCardlessEvent(
              eventId, resourceType, action, organisationId, createdAt(event, eventId));
      String creditor = text(links, "creditor");
      idempotent.apply(
          CONSUMER, eventId, () -> merchants.creditorVerificationChanged(applied, creditor));
    }
    // Every other event of these topics (new payout currency, logo, ...) changes nothing here.
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

  private static void requireOrganisation(String organisationId, String eventId) {
    if (organisationId == null) {
      throw new PoisonMessageException("Event " + eventId + " names no organisation");
    }
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
