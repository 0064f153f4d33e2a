package io.paybridge.webhookingest.erasure;

import io.paybridge.platform.events.EventHeaders;
import io.paybridge.platform.events.Topics;
import io.paybridge.platform.events.payers.PayerErasureEvent.PayerErasureRequested;
import io.paybridge.platform.outbox.IdempotentConsumer;
import io.paybridge.platform.outbox.PoisonMessageException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads {@code payers.erasure} (the service's only consumer) and applies each erasure request once
 * ({@link PayerErasure}); acknowledgements of other services change nothing here.
 */
@Component
class ErasureEventsListener {

  static final String CONSUMER = "webhook-ingest-service.erasure";

  private final IdempotentConsumer idempotent;
  private final PayerErasure erasure;
  private final ObjectMapper mapper;

  ErasureEventsListener(IdempotentConsumer idempotent, PayerErasure erasure, ObjectMapper mapper) {
    this.idempotent = idempotent;
    this.erasure = erasure;
    this.mapper = mapper;
  }

  @KafkaListener(topics = Topics.PAYERS_ERASURE)
  void on(ConsumerRecord<String, String> record) {
    String eventId = IdempotentConsumer.eventId(record);
    var header = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
    String type = header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    if (!"PayerErasureRequested".equals(type)) {
      return;
    }
    PayerErasureRequested request;
    try {
      request = mapper.readValue(record.value(), PayerErasureRequested.class);
    } catch (JacksonException | NullPointerException e) {
      throw new PoisonMessageException("Event " + eventId + " (" + type + ") is not readable", e);
    }
    idempotent.apply(CONSUMER, eventId, () -> erasure.apply(request));
  }
}
