package io.paybridge.billing.analytics;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.events.billing.BillingFact;
import io.paybridge.platform.events.billing.BillingRequestFact;
import io.paybridge.platform.events.billing.MandateFact;
import io.paybridge.platform.events.billing.PaymentFact;
import io.paybridge.platform.outbox.IdempotentConsumer;
import io.paybridge.platform.outbox.PoisonMessageException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Transport for the analytics read model: billing-service's own payment, mandate and billing
 * request facts, read back from Kafka in a consumer group of their own ({@value #CONSUMER}), so the
 * figures follow exactly what was published, and lag or a failure here never holds up the
 * projections. A poll's facts are applied in one transaction through {@link IdempotentConsumer}
 * (each fact, by its {@code id} header, once); a fact type this version does not know (a newer
 * publisher's) is recorded as applied and left out of the figures; an unreadable record is poison.
 */
@Component
class AnalyticsEventsListener {

  static final String CONSUMER = "billing-service-analytics";

  private static final Map<String, Class<? extends BillingFact>> TYPES = types();

  private final IdempotentConsumer idempotent;
  private final AnalyticsEventHandler handler;
  private final ObjectMapper mapper;

  AnalyticsEventsListener(
      IdempotentConsumer idempotent, AnalyticsEventHandler handler, ObjectMapper mapper) {
    this.idempotent = idempotent;
    this.handler = handler;
    this.mapper = mapper;
  }

  @KafkaListener(
      id = CONSUMER,
      groupId = CONSUMER,
      topics = {Topics.BILLING_PAYMENT, Topics.BILLING_MANDATE, Topics.BILLING_BILLING_REQUEST},
      batch = "true")
  void on(List<ConsumerRecord<String, String>> records) {
    idempotent.applyBatch(
        CONSUMER,
        records,
        this::read,
        facts -> handler.applyAll(facts.stream().flatMap(Optional::stream).toList()));
  }

  private Optional<BillingFact> read(ConsumerRecord<String, String> record, String eventId) {
    var header = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
    if (header == null) {
      throw new PoisonMessageException("Fact " + eventId + " has no eventType header");
    }
    var type = TYPES.get(new String(header.value(), StandardCharsets.UTF_8));
    if (type == null) {
      return Optional.empty();
    }
    BillingFact fact;
    try {
      fact = record.value() == null ? null : mapper.readValue(record.value(), type);
    } catch (JacksonException e) {
      throw new PoisonMessageException("Fact " + eventId + " is not a readable " + type, e);
    }
    if (fact == null
        || fact.merchantId() == null
        || fact.team() == null
        || fact.occurredAt() == null
        || fact.gocardlessEventId() == null
        || fact.resourceId() == null) {
      throw new PoisonMessageException("Fact " + eventId + " lacks its owner, time or ids");
    }
    return Optional.of(fact);
  }

  private static Map<String, Class<? extends BillingFact>> types() {
    Map<String, Class<? extends BillingFact>> types = new HashMap<>();
    Stream.of(PaymentFact.class, MandateFact.class, BillingRequestFact.class)
        .flatMap(family -> Stream.of(family.getPermittedSubclasses()))
        .forEach(c -> types.put(c.getSimpleName(), c.asSubclass(BillingFact.class)));
    return Map.copyOf(types);
  }
}
