package io.paybridge.billing.erasure;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.events.payers.PayerErasureEvent.PayerErasureApplied;
import io.paybridge.platform.events.payers.PayerErasureEvent.PayerErasureRequested;
import io.paybridge.platform.outbox.IdempotentConsumer;
import io.paybridge.platform.outbox.PoisonMessageException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads {@code payers.erasure}: applies each erasure request to billing-service's own data once
 * ({@link PayerErasure}), and records each service's acknowledgement for the request's status.
 */
@Component
class ErasureEventsListener {

  static final String CONSUMER = "billing-service.erasure";

  private final IdempotentConsumer idempotent;
  private final PayerErasure erasure;
  private final ErasureRepository requests;
  private final ObjectMapper mapper;

  ErasureEventsListener(
      IdempotentConsumer idempotent,
      PayerErasure erasure,
      ErasureRepository requests,
      ObjectMapper mapper) {
    this.idempotent = idempotent;
    this.erasure = erasure;
    this.requests = requests;
    this.mapper = mapper;
  }

  @KafkaListener(topics = Topics.PAYERS_ERASURE)
  void on(ConsumerRecord<String, String> record) {
    String eventId = IdempotentConsumer.eventId(record);
    var header = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
    String type = header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    try {
      switch (type) {
        case "PayerErasureRequested" -> {
          var e = mapper.readValue(record.value(), PayerErasureRequested.class);
          idempotent.apply(CONSUMER, eventId, () -> erasure.apply(e, eventId));
        }
        case "PayerErasureApplied" -> {
          var e = mapper.readValue(record.value(), PayerErasureApplied.class);
          UUID requestId = UUID.fromString(e.requestId());
          idempotent.apply(
              CONSUMER,
              eventId,
              () -> requests.acknowledge(requestId, e.service(), e.rowsChanged(), e.appliedAt()));
        }
        default -> {
          // A fact type added later changes nothing here.
        }
      }
    } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
      throw new PoisonMessageException("Event " + eventId + " (" + type + ") is not readable", e);
    }
  }
}
