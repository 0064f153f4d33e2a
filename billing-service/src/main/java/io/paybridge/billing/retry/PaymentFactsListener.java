package io.paybridge.billing.retry;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.events.billing.PaymentFact.PaymentFailed;
import io.paybridge.platform.events.billing.PaymentFact.PaymentRetryScheduled;
import io.paybridge.platform.outbox.IdempotentConsumer;
import io.paybridge.platform.outbox.PoisonMessageException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Smart retries follow billing-service's own {@code billing.payment} facts: a {@code PaymentFailed}
 * is decided on ({@link RetryDecisions}), a {@code PaymentRetryScheduled} is asked of GoCardless
 * ({@link RetryIssuer}); each applied once through the idempotent consumer. The fact rather than
 * GoCardless's event: it is written after the projection committed (the payment's and mandate's
 * rows are up to date when it is read), it is the published contract, and a slow or failing
 * decision never holds up the projections.
 */
@Component
class PaymentFactsListener {

  static final String CONSUMER = "billing-service.retries";

  private final IdempotentConsumer idempotent;
  private final RetryDecisions decisions;
  private final RetryIssuer issuer;
  private final ObjectMapper mapper;

  PaymentFactsListener(
      IdempotentConsumer idempotent,
      RetryDecisions decisions,
      RetryIssuer issuer,
      ObjectMapper mapper) {
    this.idempotent = idempotent;
    this.decisions = decisions;
    this.issuer = issuer;
    this.mapper = mapper;
  }

  @KafkaListener(topics = Topics.BILLING_PAYMENT)
  void on(ConsumerRecord<String, String> record) {
    var header = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
    String type = header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    if (!"PaymentFailed".equals(type) && !"PaymentRetryScheduled".equals(type)) {
      return;
    }
    String eventId = IdempotentConsumer.eventId(record);
    try {
      if ("PaymentFailed".equals(type)) {
        var fact = mapper.readValue(record.value(), PaymentFailed.class);
        idempotent.apply(CONSUMER, record, eventId, () -> decisions.onFailure(fact));
      } else {
        var fact = mapper.readValue(record.value(), PaymentRetryScheduled.class);
        idempotent.apply(
            CONSUMER,
            record,
            eventId,
            () -> issuer.issue(fact.gocardlessEventId(), fact.organisationId()));
      }
    } catch (JacksonException e) {
      throw new PoisonMessageException("Event " + eventId + " (" + type + ") is not readable", e);
    }
  }
}
